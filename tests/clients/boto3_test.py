"""boto3 (botocore 1.43, AWS JSON 1.0 protocol) against the real server:
the queue/message lifecycle and the error codes user code matches on
(shared/design/sqs-protocol.md §1.6-1.7, §3, §4).
"""

import json
import threading
import time
import unittest

import harness

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError as error:  # No PyPI here: never skip, fail loudly.
    raise SystemExit(
        f"boto3 is required for tests/clients/boto3_test.py and is missing "
        f"({error}); it comes preinstalled with the machine's pyenv Python")


def make_client(server):
    return harness.boto3_client(server)


class Boto3Test(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.sqs = make_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def create(self, name, **kwargs):
        url = self.sqs.create_queue(QueueName=name, **kwargs)["QueueUrl"]
        self.assertEqual(url, self.server.queue_url(name))
        return url

    def assertClientError(self, error, code, query_error_code, status):
        response = error.response
        self.assertEqual(response["Error"]["Code"], code, response)
        self.assertEqual(response["Error"].get("QueryErrorCode"),
                         query_error_code, response)
        self.assertEqual(response["Error"].get("Type"), "Sender", response)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"],
                         status, response)
        self.assertTrue(response["ResponseMetadata"].get("RequestId"),
                        response)

    # -- lifecycle --

    def test_lifecycle(self):
        url = self.create("boto-life", Attributes={"VisibilityTimeout": "40"},
                          tags={"env": "dev"})
        self.assertEqual(self.sqs.get_queue_url(QueueName="boto-life")
                         ["QueueUrl"], url)
        self.assertIn(url, self.sqs.list_queues(QueueNamePrefix="boto-")
                      ["QueueUrls"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"env": "dev"})
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attributes["VisibilityTimeout"], "40")
        self.assertEqual(attributes["QueueArn"],
                         "arn:aws:sqs:us-east-1:000000000000:boto-life")
        self.assertEqual(len(attributes), 12, attributes)

        message_attributes = {
            "s": {"DataType": "String", "StringValue": "v1"},
            "n": {"DataType": "Number", "StringValue": "42.50"},
            "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"},
            "j": {"DataType": "String.json", "StringValue": '{"a":1}'},
        }
        body = "Latte|2025-02-26 10:30:00"
        sent = self.sqs.send_message(
            QueueUrl=url, MessageBody=body,
            MessageAttributes=message_attributes,
            MessageSystemAttributes={
                "AWSTraceHeader": {
                    "DataType": "String",
                    "StringValue":
                    "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
                }
            })
        self.assertEqual(sent["MD5OfMessageBody"], harness.md5_of_body(body))
        self.assertEqual(sent["MD5OfMessageAttributes"],
                         harness.md5_of_attributes(message_attributes))
        self.assertEqual(sent["MD5OfMessageSystemAttributes"],
                         "5f48eef650c1d0207456969c85af2fdd")

        [message] = self.sqs.receive_message(
            QueueUrl=url, AttributeNames=["All"],
            MessageAttributeNames=["All"], MaxNumberOfMessages=10,
            WaitTimeSeconds=1)["Messages"]
        self.assertEqual(message["MessageId"], sent["MessageId"])
        self.assertEqual(message["Body"], body)
        self.assertEqual(message["MD5OfBody"], sent["MD5OfMessageBody"])
        self.assertEqual(message["MessageAttributes"], message_attributes)
        self.assertEqual(message["MD5OfMessageAttributes"],
                         sent["MD5OfMessageAttributes"])
        self.assertEqual(
            message["Attributes"]["AWSTraceHeader"],
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
        self.assertEqual(message["Attributes"]["ApproximateReceiveCount"],
                         "1")
        self.sqs.delete_message(QueueUrl=url,
                                ReceiptHandle=message["ReceiptHandle"])
        # Deleting again with the same handle is idempotent (§3.6).
        self.sqs.delete_message(QueueUrl=url,
                                ReceiptHandle=message["ReceiptHandle"])
        self.assertNotIn(
            "Messages", self.sqs.receive_message(QueueUrl=url))
        self.sqs.delete_queue(QueueUrl=url)
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.get_queue_url(QueueName="boto-life")

    def test_bare_queue_name_is_accepted_as_queue_url(self):
        self.create("boto-bare")
        attributes = self.sqs.get_queue_attributes(
            QueueUrl="boto-bare", AttributeNames=["QueueArn"])["Attributes"]
        self.assertEqual(attributes["QueueArn"],
                         "arn:aws:sqs:us-east-1:000000000000:boto-bare")

    def test_queue_urls_use_the_host_the_client_addressed(self):
        # §7.1: URLs are built from the request's Host; incoming QueueUrls
        # are resolved by path only.
        named = boto3.client(
            "sqs", endpoint_url=f"http://localhost:{self.server.port}",
            region_name=harness.REGION, aws_access_key_id="test",
            aws_secret_access_key="test")
        url = named.create_queue(QueueName="boto-host")["QueueUrl"]
        self.assertEqual(url, f"http://localhost:{self.server.port}"
                         "/000000000000/boto-host")
        # The same queue through the other name.
        self.sqs.send_message(QueueUrl=url, MessageBody="via 127.0.0.1")
        [message] = named.receive_message(
            QueueUrl=self.server.queue_url("boto-host"))["Messages"]
        self.assertEqual(message["Body"], "via 127.0.0.1")

    def test_body_fidelity(self):
        url = self.create("boto-fidelity")
        # botocore sends ASCII-only JSON: é as \u00e9, the emoji as a
        # surrogate pair (§1.3).
        bodies = ["h\u00e9 \U0001F600 \r\n", "\r", "a\rb\r\nc\n",
                  "<&>\"'", "\u4e2d\u6587 \U0001F9D1\u200D\U0001F373",
                  "tab\there", "\ue000\ufffd\U0010FFFF"]
        for body in bodies:
            sent = self.sqs.send_message(QueueUrl=url, MessageBody=body)
            self.assertEqual(sent["MD5OfMessageBody"],
                             harness.md5_of_body(body), repr(body))
        received = []
        while len(received) < len(bodies):
            messages = self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            self.assertTrue(messages, "messages missing")
            for message in messages:
                self.assertEqual(message["MD5OfBody"],
                                 harness.md5_of_body(message["Body"]))
                received.append(message["Body"])
        self.assertEqual(sorted(received), sorted(bodies))

    # -- errors users match on --

    def test_queue_does_not_exist(self):
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist) as ctx:
            self.sqs.get_queue_url(QueueName="boto-missing")
        error = ctx.exception
        self.assertEqual(error.response["Error"]["Code"],
                         "AWS.SimpleQueueService.NonExistentQueue")
        self.assertIsInstance(error, self.sqs.exceptions.QueueDoesNotExist)
        self.assertClientError(error, "AWS.SimpleQueueService.NonExistentQueue",
                               "QueueDoesNotExist", 400)
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.send_message(
                QueueUrl=self.server.queue_url("boto-missing"),
                MessageBody="x")

    def test_receipt_handle_is_invalid(self):
        url = self.create("boto-handles")
        with self.assertRaises(
                self.sqs.exceptions.ReceiptHandleIsInvalid) as ctx:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")
        self.assertClientError(ctx.exception, "ReceiptHandleIsInvalid",
                               "ReceiptHandleIsInvalid", 404)

    def test_queue_name_exists(self):
        self.create("boto-exists", Attributes={"VisibilityTimeout": "10"})
        with self.assertRaises(self.sqs.exceptions.QueueNameExists) as ctx:
            self.sqs.create_queue(QueueName="boto-exists",
                                  Attributes={"VisibilityTimeout": "11"})
        self.assertClientError(ctx.exception, "QueueAlreadyExists",
                               "QueueNameExists", 400)

    def test_invalid_attribute_name(self):
        url = self.create("boto-attr-name")
        with self.assertRaises(
                self.sqs.exceptions.InvalidAttributeName) as ctx:
            self.sqs.get_queue_attributes(QueueUrl=url,
                                          AttributeNames=["Foobar"])
        self.assertClientError(ctx.exception, "InvalidAttributeName",
                               "InvalidAttributeName", 400)

    def test_oversized_message_is_invalid_parameter_value(self):
        url = self.create("boto-big")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sqs.send_message(QueueUrl=url, MessageBody="x" * 1048577)
        self.assertClientError(ctx.exception, "InvalidParameterValue",
                               "InvalidParameterValueException", 400)
        self.assertIn("Message must be shorter than 1048576 bytes",
                      ctx.exception.response["Error"]["Message"])
        # Exactly the maximum is accepted (§3.3).
        small = self.create("boto-small",
                            Attributes={"MaximumMessageSize": "1024"})
        self.sqs.send_message(QueueUrl=small, MessageBody="y" * 1024)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sqs.send_message(QueueUrl=small, MessageBody="y" * 1025)
        self.assertEqual(ctx.exception.response["Error"]["Code"],
                         "InvalidParameterValue")

    def test_missing_parameter(self):
        url = self.create("boto-empty-body")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sqs.send_message(QueueUrl=url, MessageBody="")
        self.assertEqual(ctx.exception.response["Error"]["Code"],
                         "MissingParameter")

    def test_batch_failed_entries(self):
        url = self.create("boto-batch", Attributes={"MaximumMessageSize":
                                                     "1024"})
        reply = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "fits", "MessageBody": "ok"},
            {"Id": "too-big", "MessageBody": "z" * 2000},
        ])
        self.assertEqual([e["Id"] for e in reply["Successful"]], ["fits"])
        [failed] = reply["Failed"]
        self.assertEqual(failed["Id"], "too-big")
        self.assertEqual(failed["Code"], "InvalidParameterValue")
        self.assertIs(failed["SenderFault"], True)

        [message] = self.sqs.receive_message(QueueUrl=url)["Messages"]
        reply = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "good", "ReceiptHandle": message["ReceiptHandle"]},
            {"Id": "bad", "ReceiptHandle": "garbage"},
        ])
        self.assertEqual(reply["Successful"], [{"Id": "good"}])
        [failed] = reply["Failed"]
        self.assertEqual((failed["Id"], failed["Code"], failed["SenderFault"]),
                         ("bad", "ReceiptHandleIsInvalid", True))
        # Nothing failed: "Failed" is still present (required in the model).
        self.assertEqual(
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": "a", "MessageBody": "a"}])["Failed"], [])

        with self.assertRaises(
                self.sqs.exceptions.TooManyEntriesInBatchRequest) as ctx:
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": f"e{i}", "MessageBody": "x"} for i in range(11)])
        self.assertClientError(
            ctx.exception,
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            "TooManyEntriesInBatchRequest", 400)
        with self.assertRaises(
                self.sqs.exceptions.BatchEntryIdsNotDistinct):
            self.sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": "same", "MessageBody": "x"},
                {"Id": "same", "MessageBody": "y"}])
        with self.assertRaises(self.sqs.exceptions.EmptyBatchRequest):
            self.sqs.delete_message_batch(QueueUrl=url, Entries=[])

    def test_receive_parameter_ranges(self):
        url = self.create("boto-ranges")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
        self.assertEqual(ctx.exception.response["Error"]["Code"],
                         "InvalidParameterValue")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21)
        self.assertEqual(ctx.exception.response["Error"]["Code"],
                         "InvalidParameterValue")

    # -- long polling --

    def test_long_poll_returns_promptly_when_a_message_arrives(self):
        url = self.create("boto-long-poll")
        sender = make_client(self.server)
        sent_at = []

        def send():
            sent_at.append(time.monotonic())
            sender.send_message(QueueUrl=url, MessageBody="wake up")

        # The send starts after the receive is on its way; the receive must
        # return as soon as the message exists, not after 20 s.
        timer = threading.Timer(0.5, send)
        started = time.monotonic()
        timer.start()
        reply = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        returned = time.monotonic()
        timer.join()
        self.assertEqual([m["Body"] for m in reply.get("Messages", [])],
                         ["wake up"])
        self.assertLess(returned - started, 2.0)
        self.assertLess(returned - sent_at[0], 2.0)

    def test_long_poll_times_out_empty(self):
        url = self.create("boto-long-poll-empty")
        started = time.monotonic()
        reply = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
        elapsed = time.monotonic() - started
        self.assertNotIn("Messages", reply)
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 5)


class Boto3DeadLetterQueueTest(unittest.TestCase):
    """Redrive (§3.8) and ListDeadLetterSourceQueues through the gateway."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.sqs = make_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def create_pair(self, prefix):
        dlq_url = self.sqs.create_queue(QueueName=f"{prefix}-dlq")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(
            QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"]
        source_url = self.sqs.create_queue(
            QueueName=f"{prefix}-source", Attributes={
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn,
                                             "maxReceiveCount": 1})
            })["QueueUrl"]
        return dlq_url, source_url

    def test_message_past_max_receive_count_moves_to_the_dlq(self):
        dlq_url, source_url = self.create_pair("move")
        self.sqs.send_message(QueueUrl=source_url, MessageBody="poison")
        [first] = self.sqs.receive_message(
            QueueUrl=source_url, VisibilityTimeout=0)["Messages"]
        # The second receive would exceed maxReceiveCount: moved instead.
        self.assertNotIn("Messages",
                         self.sqs.receive_message(QueueUrl=source_url))
        [moved] = self.sqs.receive_message(
            QueueUrl=dlq_url, AttributeNames=["All"])["Messages"]
        self.assertEqual(moved["MessageId"], first["MessageId"])
        self.assertEqual(moved["Body"], "poison")
        self.assertEqual(
            moved["Attributes"]["DeadLetterQueueSourceArn"],
            "arn:aws:sqs:us-east-1:000000000000:move-source")
        self.assertEqual(moved["Attributes"]["ApproximateReceiveCount"], "2")

    def test_list_dead_letter_source_queues(self):
        dlq_url, source_url = self.create_pair("list")
        # JSON trap (§2): the output member is lower-case "queueUrls".
        self.assertEqual(
            self.sqs.list_dead_letter_source_queues(
                QueueUrl=dlq_url)["queueUrls"], [source_url])
        # Both CLIs: JSON (v1) and query, flattened <QueueUrl> (v2).
        for major in (1, 2):
            listed = harness.Cli(major, self.server).ok(
                "sqs", "list-dead-letter-source-queues", "--queue-url",
                dlq_url)
            self.assertEqual(listed["queueUrls"], [source_url], major)


if __name__ == "__main__":
    harness.main()
