"""SigV4 enforcement (`cortado-server --credentials FILE`, lines
"ACCESS_KEY SECRET"), proven with real clients in both protocols:
boto3 and CLI v1 (JSON 1.0), CLI v2 (query). Facts: sqs-protocol.md §5.
"""

import datetime
import os
import unittest
from unittest import mock

import harness

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError as error:  # No PyPI here: never skip, fail loudly.
    raise SystemExit(f"boto3 is required for sigv4_test.py ({error})")


class SigV4Test(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        credentials = os.path.join(harness._SCRATCH, "credentials")
        with open(credentials, "w") as f:
            f.write("test secret\nother-key other-secret\n")
        cls.server = harness.Server(extra_args=[f"--credentials={credentials}"])
        cls.v1 = harness.Cli(1, cls.server)
        cls.v2 = harness.Cli(2, cls.server)
        cls.queue_url = cls.client("test", "secret").create_queue(
            QueueName="signed-q")["QueueUrl"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    @classmethod
    def client(cls, access_key, secret_key):
        return boto3.client(
            "sqs", endpoint_url=cls.server.endpoint,
            region_name=harness.REGION, aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=botocore.config.Config(retries={"total_max_attempts": 1}))

    def assertAuthError(self, call, codes, status):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call()
        response = ctx.exception.response
        self.assertIn(response["Error"]["Code"], codes, response)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"],
                         status, response)
        return response

    def cli_env(self, access_key, secret_key):
        return harness.client_environment(access_key, secret_key)

    # -- boto3 (JSON protocol) --

    def test_boto3_with_the_right_secret_succeeds(self):
        sqs = self.client("test", "secret")
        sent = sqs.send_message(QueueUrl=self.queue_url,
                                MessageBody="signed & sealed + delivered \u00e9")
        self.assertEqual(sent["MD5OfMessageBody"],
                         harness.md5_of_body("signed & sealed + delivered \u00e9"))
        self.assertIn(self.queue_url,
                      sqs.list_queues(QueueNamePrefix="signed")["QueueUrls"])
        other = self.client("other-key", "other-secret")
        self.assertEqual(other.get_queue_url(QueueName="signed-q")["QueueUrl"],
                         self.queue_url)

    def test_boto3_with_a_wrong_secret_gets_signature_does_not_match(self):
        sqs = self.client("test", "wrong-secret")
        response = self.assertAuthError(
            lambda: sqs.get_queue_url(QueueName="signed-q"),
            ("SignatureDoesNotMatch",), 403)
        self.assertIn("signature", response["Error"]["Message"].lower())

    def test_boto3_with_an_unknown_access_key_gets_invalid_client_token_id(self):
        sqs = self.client("nobody", "secret")
        self.assertAuthError(lambda: sqs.get_queue_url(QueueName="signed-q"),
                             ("InvalidClientTokenId",), 403)

    def test_boto3_signature_older_than_15_minutes_is_rejected(self):
        sqs = self.client("test", "secret")
        past = (datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None) - datetime.timedelta(minutes=20))
        with mock.patch("botocore.auth.get_current_datetime",
                        return_value=past):
            self.assertAuthError(
                lambda: sqs.get_queue_url(QueueName="signed-q"),
                ("SignatureDoesNotMatch", "RequestExpired"), 403)

    def test_boto3_signature_within_the_skew_window_is_accepted(self):
        sqs = self.client("test", "secret")
        recent = (datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None) - datetime.timedelta(minutes=10))
        with mock.patch("botocore.auth.get_current_datetime",
                        return_value=recent):
            self.assertEqual(
                sqs.get_queue_url(QueueName="signed-q")["QueueUrl"],
                self.queue_url)

    # -- the CLIs --

    def test_cli_v2_query_protocol(self):
        good = self.v2.ok("sqs", "send-message", "--queue-url", self.queue_url,
                          "--message-body", "query body with spaces & +",
                          env=self.cli_env("test", "secret"))
        self.assertEqual(good["MD5OfMessageBody"],
                         harness.md5_of_body("query body with spaces & +"))
        bad = self.v2.fails("sqs", "get-queue-url", "--queue-name", "signed-q",
                            env=self.cli_env("test", "wrong-secret"))
        self.assertIn("SignatureDoesNotMatch", bad.stderr)
        # An XML error, parsed as such (a JSON body would read "Unable to
        # parse response").
        self.assertNotIn("Unable to parse", bad.stderr)

    def test_cli_v1_json_protocol(self):
        self.v1.ok("sqs", "list-queues", env=self.cli_env("test", "secret"))
        bad = self.v1.fails("sqs", "get-queue-url", "--queue-name", "signed-q",
                            env=self.cli_env("test", "wrong-secret"))
        self.assertIn("SignatureDoesNotMatch", bad.stderr)

    def test_unsigned_requests_are_rejected(self):
        for cli in (self.v1, self.v2):
            with self.subTest(cli=cli.major):
                result = cli.fails("--no-sign-request", "sqs", "get-queue-url",
                                   "--queue-name", "signed-q")
                self.assertIn("MissingAuthenticationToken", result.stderr)


if __name__ == "__main__":
    harness.main()
