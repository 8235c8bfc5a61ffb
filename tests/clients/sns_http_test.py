"""SNS push to an HTTP endpoint with real AWS clients (CLI v1, CLI v2, boto3).

The endpoint is a real HTTP server in this process (http.server on
127.0.0.1:0) that records every POST and verifies every message's
signature as a subscriber does: it fetches the certificate at the
message's SigningCertURL and checks the RSA signature over SNS's
canonical string with the `cryptography` package (SHA1 for
SignatureVersion 1, SHA256 for 2). Waiting for a POST is a condition
variable with a deadline, not a sleep.
"""

import base64
import http.server
import json
import threading
import unittest
import urllib.request

import harness

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp",
                     "TopicArn", "Type")
SUBSCRIPTION_KEYS = ("Message", "MessageId", "SubscribeURL", "Timestamp",
                     "Token", "TopicArn", "Type")


def verify_signature(message):
    """Raises unless `message` is signed by the certificate it names."""
    keys = (NOTIFICATION_KEYS if message["Type"] == "Notification" else
            SUBSCRIPTION_KEYS)
    canonical = "".join(f"{key}\n{message[key]}\n" for key in keys
                        if key in message)
    with urllib.request.urlopen(message["SigningCertURL"], timeout=10) as got:
        certificate = x509.load_pem_x509_certificate(got.read())
    digest = (hashes.SHA256()
              if message["SignatureVersion"] == "2" else hashes.SHA1())
    certificate.public_key().verify(
        base64.b64decode(message["Signature"]), canonical.encode("utf-8"),
        padding.PKCS1v15(), digest)


class Endpoint:
    """An HTTP subscriber: records (headers, body) of every POST."""

    def __init__(self):
        self.requests = []
        self.changed = threading.Condition()
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                with endpoint.changed:
                    endpoint.requests.append(
                        ({k.lower(): v for k, v in self.headers.items()},
                         body))
                    endpoint.changed.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      Handler)
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count, timeout=30):
        """The first `count` requests, once they arrived (or fails)."""
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.requests) >= count,
                                         timeout):
                raise AssertionError(
                    f"only {len(self.requests)} of {count} POSTs arrived")
            return list(self.requests[:count])

    def message(self, index):
        """The verified JSON message of POST number `index` (0-based)."""
        headers, body = self.wait_for(index + 1)[index]
        message = json.loads(body)
        verify_signature(message)
        self.last_headers = headers
        return message

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SnsHttpCliFlow(harness.ServerPerClass):
    """Subscribe, confirm-subscription, publish, unsubscribe with one CLI."""

    def setUp(self):
        self.endpoint = Endpoint()
        self.addCleanup(self.endpoint.stop)

    def test_subscribe_confirm_publish_unsubscribe(self):
        cli = self.cli
        topic = cli.ok("sns", "create-topic", "--name",
                       f"webhooks-v{self.major}")["TopicArn"]
        reply = cli.ok("sns", "subscribe", "--topic-arn", topic, "--protocol",
                       "http", "--notification-endpoint", self.endpoint.url)
        self.assertEqual(reply["SubscriptionArn"], "pending confirmation")
        confirmation = self.endpoint.message(0)
        self.assertEqual(confirmation["Type"], "SubscriptionConfirmation")
        self.assertEqual(self.endpoint.last_headers["x-amz-sns-message-type"],
                         "SubscriptionConfirmation")
        listed = cli.ok("sns", "list-subscriptions-by-topic", "--topic-arn",
                        topic)["Subscriptions"]
        self.assertEqual(listed[0]["SubscriptionArn"], "PendingConfirmation")

        arn = cli.ok("sns", "confirm-subscription", "--topic-arn", topic,
                     "--token", confirmation["Token"])["SubscriptionArn"]
        self.assertTrue(arn.startswith(topic + ":"), arn)
        attributes = cli.ok("sns", "get-subscription-attributes",
                            "--subscription-arn", arn)["Attributes"]
        self.assertEqual(attributes["PendingConfirmation"], "false")
        # The CLI signs its calls.
        self.assertEqual(attributes["ConfirmationWasAuthenticated"], "true")

        message_id = cli.ok("sns", "publish", "--topic-arn", topic,
                            "--message", "order 7 shipped", "--subject",
                            "shipping")["MessageId"]
        notification = self.endpoint.message(1)
        self.assertEqual(notification["Type"], "Notification")
        self.assertEqual(notification["MessageId"], message_id)
        self.assertEqual(notification["Message"], "order 7 shipped")
        self.assertEqual(notification["Subject"], "shipping")
        self.assertEqual(
            self.endpoint.last_headers["x-amz-sns-subscription-arn"], arn)

        cli.ok("sns", "unsubscribe", "--subscription-arn", arn)
        goodbye = self.endpoint.message(2)
        self.assertEqual(goodbye["Type"], "UnsubscribeConfirmation")
        self.assertEqual(
            cli.ok("sns", "list-subscriptions-by-topic", "--topic-arn",
                   topic)["Subscriptions"], [])

    def test_a_wrong_token_is_an_invalid_parameter(self):
        topic = self.cli.ok("sns", "create-topic", "--name",
                            f"tokens-v{self.major}")["TopicArn"]
        result = self.cli.fails("sns", "confirm-subscription", "--topic-arn",
                                topic, "--token", "not-a-token")
        self.assertIn("InvalidParameter", result.stderr)


class CliV1SnsHttpTest(SnsHttpCliFlow, unittest.TestCase):
    major = 1


class CliV2SnsHttpTest(SnsHttpCliFlow, unittest.TestCase):
    major = 2


class Boto3SnsHttpTest(harness.ServerPerClass, unittest.TestCase):
    """boto3's SNS client; confirmation by visiting the SubscribeURL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import boto3
        import botocore.config
        cls.sns = boto3.client(
            "sns", endpoint_url=cls.server.endpoint,
            region_name=harness.REGION, aws_access_key_id="test",
            aws_secret_access_key="test",
            config=botocore.config.Config(retries={"total_max_attempts": 1}))

    def test_confirm_by_subscribe_url_then_raw_and_filtered_delivery(self):
        endpoint = Endpoint()
        self.addCleanup(endpoint.stop)
        topic = self.sns.create_topic(
            Name="boto3-webhooks",
            Attributes={"SignatureVersion": "2"})["TopicArn"]
        arn = self.sns.subscribe(
            TopicArn=topic, Protocol="http", Endpoint=endpoint.url,
            ReturnSubscriptionArn=True,
            Attributes={"RawMessageDelivery": "true",
                        "FilterPolicy": json.dumps({"kind": ["wanted"]})},
        )["SubscriptionArn"]
        self.assertTrue(arn.startswith(topic + ":"), arn)
        confirmation = endpoint.message(0)
        self.assertEqual(confirmation["SignatureVersion"], "2")
        self.assertEqual(
            self.sns.get_subscription_attributes(SubscriptionArn=arn)
            ["Attributes"]["PendingConfirmation"], "true")
        # What a subscriber's code does: GET the SubscribeURL.
        with urllib.request.urlopen(confirmation["SubscribeURL"],
                                    timeout=10) as got:
            self.assertEqual(got.status, 200)
            self.assertIn(arn, got.read().decode("utf-8"))
        self.assertEqual(
            self.sns.get_subscription_attributes(SubscriptionArn=arn)
            ["Attributes"]["PendingConfirmation"], "false")

        def publish(message, kind):
            self.sns.publish(TopicArn=topic, Message=message,
                             MessageAttributes={"kind": {
                                 "DataType": "String", "StringValue": kind}})

        publish("not for you", "other")
        publish("raw body", "wanted")
        headers, body = endpoint.wait_for(2)[1]
        self.assertEqual(body, "raw body")
        self.assertEqual(headers["x-amz-sns-rawdelivery"], "true")
        self.assertEqual(headers["x-amz-sns-message-type"], "Notification")


if __name__ == "__main__":
    harness.main()
