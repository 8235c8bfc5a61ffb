"""Every SQS action through both AWS CLIs: v1 (JSON 1.0 protocol) and v2
(query protocol, XML responses). Facts: shared/design/sqs-protocol.md.

One server per CLI class; each test uses its own queue names.
"""

import json
import time
import unittest

import harness

# The 12 keys real AWS returns for `All` on a fresh standard queue (§3.2).
ALL_STANDARD_ATTRIBUTES = {
    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp",
    "DelaySeconds", "LastModifiedTimestamp", "MaximumMessageSize",
    "MessageRetentionPeriod", "QueueArn", "ReceiveMessageWaitTimeSeconds",
    "SqsManagedSseEnabled", "VisibilityTimeout"
}

MESSAGE_ATTRIBUTES_ARG = json.dumps({
    "s": {"DataType": "String", "StringValue": "v1"},
    "n": {"DataType": "Number", "StringValue": "42"},
    "b": {"DataType": "Binary", "BinaryValue": "AAEC"},
})


class CliActions:
    """The action under test runs through the CLI; setup and state checks go
    through boto3 in-process (fast), so each test costs few CLI starts."""

    major = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.cli = harness.Cli(cls.major, cls.server)
        cls.sqs = harness.boto3_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers --

    def create(self, name, **kwargs):
        url = self.sqs.create_queue(QueueName=name, **kwargs)["QueueUrl"]
        self.assertEqual(url, self.server.queue_url(name))
        return url

    def attributes(self, url, *names):
        return self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=list(names or ("All",))).get(
                "Attributes", {})

    def counts(self, url):
        attributes = self.attributes(url, "ApproximateNumberOfMessages",
                                     "ApproximateNumberOfMessagesNotVisible",
                                     "ApproximateNumberOfMessagesDelayed")
        return (int(attributes["ApproximateNumberOfMessages"]),
                int(attributes["ApproximateNumberOfMessagesNotVisible"]),
                int(attributes["ApproximateNumberOfMessagesDelayed"]))

    def send(self, url, *bodies):
        for body in bodies:
            self.sqs.send_message(QueueUrl=url, MessageBody=body)

    def receive(self, url, **kwargs):
        return self.sqs.receive_message(QueueUrl=url, **kwargs).get(
            "Messages", [])

    def cli_receive(self, url, *extra):
        return self.cli.ok("sqs", "receive-message", "--queue-url", url,
                           *extra).get("Messages", [])

    def assertNoOutput(self, result):
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout.strip(), "", result)

    def expected_binary(self):
        # CLI v2 decodes blob arguments from base64 (cli_binary_format
        # base64); CLI v1 sends the argument's bytes as they are (§App. A).
        return b"\x00\x01\x02" if self.major == 2 else b"AAEC"

    # -- queues --

    def test_create_queue_with_attributes_and_tags(self):
        created = self.cli.ok("sqs", "create-queue", "--queue-name",
                              "created-q", "--attributes",
                              "VisibilityTimeout=40,DelaySeconds=0,"
                              "MaximumMessageSize=2048", "--tags",
                              "env=dev,team=cafe")
        url = created["QueueUrl"]
        self.assertEqual(url, self.server.queue_url("created-q"))
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"env": "dev", "team": "cafe"})
        self.assertEqual(
            self.attributes(url, "VisibilityTimeout", "MaximumMessageSize"),
            {"VisibilityTimeout": "40", "MaximumMessageSize": "2048"})
        # A different value: QueueAlreadyExists.
        conflict = self.cli.fails("sqs", "create-queue", "--queue-name",
                                  "created-q", "--attributes",
                                  "VisibilityTimeout=41")
        self.assertIn("QueueAlreadyExists", conflict.stderr)

    def test_get_queue_attributes_all(self):
        url = self.create("all-attrs-q")
        attributes = self.cli.ok("sqs", "get-queue-attributes", "--queue-url",
                                 url, "--attribute-names",
                                 "All")["Attributes"]
        self.assertEqual(set(attributes), ALL_STANDARD_ATTRIBUTES, attributes)
        self.assertEqual(attributes["VisibilityTimeout"], "30")
        self.assertEqual(attributes["DelaySeconds"], "0")
        self.assertEqual(attributes["MaximumMessageSize"], "1048576")
        self.assertEqual(attributes["MessageRetentionPeriod"], "345600")
        self.assertEqual(attributes["ReceiveMessageWaitTimeSeconds"], "0")
        self.assertEqual(attributes["SqsManagedSseEnabled"], "true")
        self.assertEqual(attributes["QueueArn"],
                         "arn:aws:sqs:us-east-1:000000000000:all-attrs-q")
        for key in ("ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesDelayed",
                    "ApproximateNumberOfMessagesNotVisible"):
            self.assertEqual(attributes[key], "0")
        for key in ("CreatedTimestamp", "LastModifiedTimestamp"):
            self.assertRegex(attributes[key], r"^\d{10}$")  # epoch seconds
            self.assertLess(abs(int(attributes[key]) - time.time()), 120)
        bad_name = self.cli.fails("sqs", "get-queue-attributes", "--queue-url",
                                  url, "--attribute-names", "Foobar")
        self.assertIn("InvalidAttributeName", bad_name.stderr)

    def test_set_queue_attributes(self):
        url = self.create("attrs-q")
        self.assertNoOutput(
            self.cli.run("sqs", "set-queue-attributes", "--queue-url", url,
                         "--attributes", "VisibilityTimeout=45,"
                         "ReceiveMessageWaitTimeSeconds=2"))
        self.assertEqual(
            self.attributes(url, "VisibilityTimeout",
                            "ReceiveMessageWaitTimeSeconds"),
            {"VisibilityTimeout": "45", "ReceiveMessageWaitTimeSeconds": "2"})
        bad_value = self.cli.fails("sqs", "set-queue-attributes",
                                   "--queue-url", url, "--attributes",
                                   "VisibilityTimeout=43201")
        self.assertIn("InvalidAttributeValue", bad_value.stderr)

    def test_list_queues_prefix_and_paging(self):
        urls = sorted(self.create(f"page-{i}") for i in range(5))
        self.create("other-page")
        listed = self.cli.ok("sqs", "list-queues", "--queue-name-prefix",
                             "page-")
        self.assertEqual(sorted(listed["QueueUrls"]), urls)
        # --page-size makes the CLI send MaxResults and follow the server's
        # NextToken to the end (a repeated token aborts the CLI).
        paged = self.cli.ok("sqs", "list-queues", "--queue-name-prefix",
                            "page-", "--page-size", "2")
        self.assertEqual(sorted(paged["QueueUrls"]), urls)
        first = self.cli.ok("sqs", "list-queues", "--queue-name-prefix",
                            "page-", "--max-items", "2", "--page-size", "2")
        self.assertEqual(len(first["QueueUrls"]), 2, first)
        self.assertIn("NextToken", first)
        rest = self.cli.ok("sqs", "list-queues", "--queue-name-prefix",
                           "page-", "--page-size", "2", "--starting-token",
                           first["NextToken"])
        self.assertEqual(sorted(first["QueueUrls"] + rest["QueueUrls"]), urls)
        self.assertNotIn("NextToken", rest)
        none = self.cli.ok("sqs", "list-queues", "--queue-name-prefix",
                           "no-such-prefix")
        self.assertEqual(none.get("QueueUrls", []), [])

    def test_tags(self):
        url = self.create("tags-q", tags={"env": "dev", "team": "cafe"})
        self.assertNoOutput(
            self.cli.run("sqs", "tag-queue", "--queue-url", url, "--tags",
                         "stage=beta,env=prod"))
        self.assertEqual(
            self.cli.ok("sqs", "list-queue-tags", "--queue-url", url)["Tags"],
            {"env": "prod", "team": "cafe", "stage": "beta"})
        self.assertNoOutput(
            self.cli.run("sqs", "untag-queue", "--queue-url", url,
                         "--tag-keys", "team", "stage"))
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"],
                         {"env": "prod"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["env"])
        self.assertEqual(
            self.cli.ok("sqs", "list-queue-tags", "--queue-url",
                        url).get("Tags", {}), {})

    def test_purge_queue(self):
        url = self.create("purge-q")
        self.send(url, "m0", "m1", "m2")
        self.assertEqual(len(self.receive(url)), 1)  # one in flight
        self.assertNoOutput(
            self.cli.run("sqs", "purge-queue", "--queue-url", url))
        self.assertEqual(self.counts(url), (0, 0, 0))
        self.assertEqual(self.receive(url), [])

    def test_delete_queue(self):
        url = self.create("doomed-q")
        self.assertNoOutput(
            self.cli.run("sqs", "delete-queue", "--queue-url", url))
        self.assertNotIn(
            "QueueUrls", self.sqs.list_queues(QueueNamePrefix="doomed-"))
        again = self.cli.fails("sqs", "delete-queue", "--queue-url", url)
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", again.stderr)

    # -- messages --

    def test_send_message_with_attributes_and_receive_all(self):
        url = self.create("attributes-msg-q")
        body = 'hello "world" & <x>'
        sent = self.cli.ok("sqs", "send-message", "--queue-url", url,
                           "--message-body", body, "--message-attributes",
                           MESSAGE_ATTRIBUTES_ARG)
        self.assertEqual(sent["MD5OfMessageBody"],
                         "e6ca7313bb7dcbf8fe6b0edbd2f029bf")
        expected_attributes = {
            "s": {"DataType": "String", "StringValue": "v1"},
            "n": {"DataType": "Number", "StringValue": "42"},
            "b": {"DataType": "Binary", "BinaryValue": self.expected_binary()},
        }
        expected_md5 = ("94c1f82a132b049cf75fad3ec912d79c" if self.major == 2
                        else "604917bc8bf1dfa715d3718a2bd06d6f")
        self.assertEqual(harness.md5_of_attributes(expected_attributes),
                         expected_md5)
        self.assertEqual(sent["MD5OfMessageAttributes"], expected_md5)

        messages = self.cli_receive(url, "--attribute-names", "All",
                                    "--message-attribute-names", "All",
                                    "--max-number-of-messages", "10")
        self.assertEqual(len(messages), 1)
        message = messages[0]
        self.assertEqual(message["MessageId"], sent["MessageId"])
        self.assertEqual(message["Body"], body)
        self.assertEqual(message["MD5OfBody"], sent["MD5OfMessageBody"])
        self.assertEqual(message["MD5OfMessageAttributes"], expected_md5)
        self.assertEqual(
            harness.decoded_attributes(message["MessageAttributes"]),
            expected_attributes)
        system = message["Attributes"]
        self.assertEqual(system["ApproximateReceiveCount"], "1")
        self.assertIn("SenderId", system)
        sent_ms = int(system["SentTimestamp"])  # epoch milliseconds
        first_ms = int(system["ApproximateFirstReceiveTimestamp"])
        self.assertLess(abs(sent_ms / 1000 - time.time()), 120)
        self.assertGreaterEqual(first_ms, sent_ms)

        # Selecting one message attribute returns only it, MD5 over it.
        self.sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
            VisibilityTimeout=0)
        [subset] = self.cli_receive(url, "--message-attribute-names", "s")
        only_s = {"s": {"DataType": "String", "StringValue": "v1"}}
        self.assertEqual(subset["MessageAttributes"], only_s)
        self.assertEqual(subset["MD5OfMessageAttributes"],
                         harness.md5_of_attributes(only_s))
        self.assertNotIn("Attributes", subset)

    def test_body_with_carriage_return_and_unicode_round_trips(self):
        url = self.create("fidelity-q")
        body = "h\u00e9 \U0001F600 \r\nline2\rx+y%20 &amp; <tag> \t end"
        sent = self.cli.ok("sqs", "send-message", "--queue-url", url,
                           "--message-body", body)
        self.assertEqual(sent["MD5OfMessageBody"], harness.md5_of_body(body))
        [message] = self.cli_receive(url)
        self.assertEqual(message["Body"], body)
        self.assertEqual(message["MD5OfBody"], harness.md5_of_body(body))

    def test_send_message_with_delay_seconds(self):
        url = self.create("delay-q")
        started = time.monotonic()
        self.cli.ok("sqs", "send-message", "--queue-url", url,
                    "--message-body", "later", "--delay-seconds", "5")
        self.assertEqual(self.counts(url), (0, 0, 1))
        self.assertEqual(self.receive(url), [])
        messages = harness.poll_until(
            lambda: self.receive(url, WaitTimeSeconds=10), 20,
            "the delayed message")
        self.assertEqual(messages[0]["Body"], "later")
        self.assertGreaterEqual(time.monotonic() - started, 4.5)

    def test_send_message_batch(self):
        url = self.create("batch-send-q")
        entries = [
            {"Id": "a", "MessageBody": "m1",
             "MessageAttributes": {"k": {"DataType": "String",
                                         "StringValue": "x"}}},
            {"Id": "b", "MessageBody": "m2", "DelaySeconds": 0},
            {"Id": "c-3_", "MessageBody": "m\u00fc3"},
        ]
        reply = self.cli.ok("sqs", "send-message-batch", "--queue-url", url,
                            "--entries", json.dumps(entries))
        self.assertEqual(reply.get("Failed", []), [])
        successful = {entry["Id"]: entry for entry in reply["Successful"]}
        self.assertEqual(set(successful), {"a", "b", "c-3_"})
        for entry in entries:
            self.assertEqual(successful[entry["Id"]]["MD5OfMessageBody"],
                             harness.md5_of_body(entry["MessageBody"]))
        self.assertEqual(successful["a"]["MD5OfMessageAttributes"],
                         "a45daa70926828a2f0a1db3418e6feb4")
        self.assertNotIn("MD5OfMessageAttributes", successful["b"])
        messages = self.receive(url, MaxNumberOfMessages=10)
        self.assertEqual(sorted(m["Body"] for m in messages),
                         ["m1", "m2", "m\u00fc3"])
        too_many = self.cli.fails(
            "sqs", "send-message-batch", "--queue-url", url, "--entries",
            json.dumps([{"Id": f"e{i}", "MessageBody": "x"}
                        for i in range(11)]))
        self.assertIn("TooManyEntriesInBatchRequest", too_many.stderr)

    def test_delete_message(self):
        url = self.create("delete-q")
        self.send(url, "bye")
        [message] = self.receive(url)
        self.assertNoOutput(
            self.cli.run("sqs", "delete-message", "--queue-url", url,
                         "--receipt-handle", message["ReceiptHandle"]))
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_delete_message_batch(self):
        url = self.create("batch-delete-q")
        self.send(url, "d0", "d1")
        messages = self.receive(url, MaxNumberOfMessages=10)
        self.assertEqual(len(messages), 2)
        entries = [{"Id": f"ok{i}", "ReceiptHandle": m["ReceiptHandle"]}
                   for i, m in enumerate(messages)]
        entries.append({"Id": "bad", "ReceiptHandle": "garbage"})
        reply = self.cli.ok("sqs", "delete-message-batch", "--queue-url", url,
                            "--entries", json.dumps(entries))
        self.assertEqual(sorted(e["Id"] for e in reply["Successful"]),
                         ["ok0", "ok1"])
        [failed] = reply["Failed"]
        self.assertEqual(failed["Id"], "bad")
        self.assertEqual(failed["Code"], "ReceiptHandleIsInvalid")
        self.assertIs(failed["SenderFault"], True)
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_change_message_visibility(self):
        url = self.create("visibility-q")
        self.send(url, "v")
        [first] = self.receive(url, VisibilityTimeout=60)
        self.assertEqual(self.receive(url), [])
        self.assertNoOutput(
            self.cli.run("sqs", "change-message-visibility", "--queue-url",
                         url, "--receipt-handle", first["ReceiptHandle"],
                         "--visibility-timeout", "0"))
        [second] = self.receive(url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(second["MessageId"], first["MessageId"])
        self.assertNotEqual(second["ReceiptHandle"], first["ReceiptHandle"])
        self.assertEqual(second["Attributes"]["ApproximateReceiveCount"], "2")
        bad = self.cli.fails("sqs", "change-message-visibility", "--queue-url",
                             url, "--receipt-handle", "garbage",
                             "--visibility-timeout", "0")
        self.assertIn("ReceiptHandleIsInvalid", bad.stderr)

    def test_change_message_visibility_batch(self):
        url = self.create("visibility-batch-q")
        self.send(url, "c0", "c1")
        messages = self.receive(url, MaxNumberOfMessages=10,
                                VisibilityTimeout=60)
        self.assertEqual(len(messages), 2)
        entries = [{"Id": f"c{i}", "ReceiptHandle": m["ReceiptHandle"],
                    "VisibilityTimeout": 0} for i, m in enumerate(messages)]
        entries.append({"Id": "bogus", "ReceiptHandle": "bogus",
                        "VisibilityTimeout": 0})
        reply = self.cli.ok("sqs", "change-message-visibility-batch",
                            "--queue-url", url, "--entries",
                            json.dumps(entries))
        self.assertEqual(sorted(e["Id"] for e in reply["Successful"]),
                         ["c0", "c1"])
        [failed] = reply["Failed"]
        self.assertEqual((failed["Id"], failed["Code"], failed["SenderFault"]),
                         ("bogus", "ReceiptHandleIsInvalid", True))
        again = self.receive(url, MaxNumberOfMessages=10)
        self.assertEqual(sorted(m["MessageId"] for m in again),
                         sorted(m["MessageId"] for m in messages))

    def test_add_and_remove_permission(self):
        url = self.create("permission-q")
        self.assertNoOutput(
            self.cli.run("sqs", "add-permission", "--queue-url", url,
                         "--label", "cafe-readers", "--aws-account-ids",
                         "111122223333", "--actions", "SendMessage",
                         "ReceiveMessage"))
        policy = json.loads(self.attributes(url, "Policy")["Policy"])
        [statement] = policy["Statement"]
        self.assertEqual(statement["Sid"], "cafe-readers")
        self.assertEqual(statement["Effect"], "Allow")
        self.assertEqual(statement["Principal"],
                         {"AWS": "arn:aws:iam::111122223333:root"})
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        self.assertEqual(sorted(actions),
                         ["SQS:ReceiveMessage", "SQS:SendMessage"])
        self.assertEqual(statement["Resource"],
                         "arn:aws:sqs:us-east-1:000000000000:permission-q")
        duplicate = self.cli.fails("sqs", "add-permission", "--queue-url",
                                   url, "--label", "cafe-readers",
                                   "--aws-account-ids", "111122223333",
                                   "--actions", "SendMessage")
        self.assertIn("InvalidParameterValue", duplicate.stderr)
        self.assertNoOutput(
            self.cli.run("sqs", "remove-permission", "--queue-url", url,
                         "--label", "cafe-readers"))
        self.assertNotIn("Policy", self.attributes(url, "Policy"))
        unknown = self.cli.fails("sqs", "remove-permission", "--queue-url",
                                 url, "--label", "cafe-readers")
        self.assertIn("InvalidParameterValue", unknown.stderr)

    # -- errors --

    def test_get_queue_url_of_missing_queue(self):
        result = self.cli.fails("sqs", "get-queue-url", "--queue-name",
                                "no-such-queue")
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", result.stderr)
        self.assertIn("GetQueueUrl", result.stderr)
        self.assertIn("does not exist", result.stderr)

    def test_send_to_missing_queue(self):
        result = self.cli.fails("sqs", "send-message", "--queue-url",
                                self.server.queue_url("no-such-queue"),
                                "--message-body", "x")
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", result.stderr)

    def test_delete_message_with_invalid_receipt_handle(self):
        url = self.create("invalid-handle-q")
        result = self.cli.fails("sqs", "delete-message", "--queue-url", url,
                                "--receipt-handle", "garbage")
        self.assertIn("ReceiptHandleIsInvalid", result.stderr)
        self.assertIn("DeleteMessage", result.stderr)


class CliV1ActionsTest(CliActions, unittest.TestCase):
    major = 1


class CliV2ActionsTest(CliActions, unittest.TestCase):
    major = 2


if __name__ == "__main__":
    harness.main()
