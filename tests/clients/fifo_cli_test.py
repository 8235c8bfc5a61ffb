"""FIFO queues and message move tasks through the real AWS CLIs: v1 (JSON
1.0) and v2 (query). Facts: shared/design/sqs-protocol.md §3.7 and §2.

Setup and state checks go through boto3 in-process; the actions under test
run through the CLI. Move tasks exist only in CLI v1's model (v2.9 lacks
them), so v2 runs the FIFO part only.
"""

import json
import unittest

import harness


class FifoCli:
    major = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.cli = harness.Cli(cls.major, cls.server)
        cls.sqs = harness.boto3_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def send(self, url, body, group, dedup=None):
        args = ["sqs", "send-message", "--queue-url", url, "--message-body",
                body, "--message-group-id", group]
        if dedup:
            args += ["--message-deduplication-id", dedup]
        return self.cli.ok(*args)

    def test_fifo_order_deduplication_and_expired_handles(self):
        created = self.cli.ok(
            "sqs", "create-queue", "--queue-name", f"orders-{self.major}.fifo",
            "--attributes",
            "FifoQueue=true,ContentBasedDeduplication=true,VisibilityTimeout=30")
        url = created["QueueUrl"]
        first = self.send(url, "Latte|2025-02-26 10:30:00", "table-1")
        self.assertEqual(len(first["SequenceNumber"]), 20, first)
        second = self.send(url, "Mocha|2025-02-26 10:31:00", "table-1")
        self.assertGreater(second["SequenceNumber"], first["SequenceNumber"])
        # The same body again within 5 minutes: content-based duplicate.
        again = self.send(url, "Latte|2025-02-26 10:30:00", "table-1")
        self.assertEqual(again["MessageId"], first["MessageId"])
        self.send(url, "Espresso|2025-02-26 10:32:00", "table-2", dedup="e-1")

        got = self.cli.ok("sqs", "receive-message", "--queue-url", url,
                          "--max-number-of-messages", "10",
                          "--attribute-names", "All",
                          "--receive-request-attempt-id", "try-1")
        bodies = [m["Body"] for m in got["Messages"]]
        self.assertEqual(bodies[:2], ["Latte|2025-02-26 10:30:00",
                                      "Mocha|2025-02-26 10:31:00"])
        self.assertIn("Espresso|2025-02-26 10:32:00", bodies)
        self.assertEqual(got["Messages"][0]["Attributes"]["MessageGroupId"],
                         "table-1")
        self.assertEqual(got["Messages"][0]["Attributes"]["SequenceNumber"],
                         first["SequenceNumber"])
        # A retried receive with the same attempt id: the same handles.
        retry = self.cli.ok("sqs", "receive-message", "--queue-url", url,
                            "--max-number-of-messages", "10",
                            "--receive-request-attempt-id", "try-1")
        self.assertEqual([m["ReceiptHandle"] for m in retry["Messages"]],
                         [m["ReceiptHandle"] for m in got["Messages"]])
        # Groups are blocked while their messages are in flight.
        self.assertEqual(
            self.sqs.receive_message(QueueUrl=url).get("Messages", []), [])
        # A handle whose visibility ran out is refused on FIFO queues.
        handle = got["Messages"][0]["ReceiptHandle"]
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle,
                                           VisibilityTimeout=0)
        refused = self.cli.fails("sqs", "delete-message", "--queue-url", url,
                                 "--receipt-handle", handle)
        self.assertIn("The receipt handle has expired", refused.stderr)

        missing = self.cli.fails("sqs", "send-message", "--queue-url", url,
                                 "--message-body", "no group")
        self.assertIn("MessageGroupId", missing.stderr)


class CliV1FifoTest(FifoCli, unittest.TestCase):
    major = 1

    def test_poison_message_dead_letters_and_a_move_task_brings_it_back(self):
        dlq = self.sqs.create_queue(QueueName="cafeteria-dlq")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(
            QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        url = self.sqs.create_queue(
            QueueName="cafeteria-queue",
            Attributes={"VisibilityTimeout": "0",
                        "RedrivePolicy": json.dumps({
                            "deadLetterTargetArn": dlq_arn,
                            "maxReceiveCount": 3})})["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="Latte|not-a-date")
        for count in (1, 2, 3):
            got = self.sqs.receive_message(
                QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])
            self.assertEqual(
                got["Messages"][0]["Attributes"]["ApproximateReceiveCount"],
                str(count))
        self.assertEqual(
            self.sqs.receive_message(QueueUrl=url).get("Messages", []), [])
        dead = self.cli.ok("sqs", "receive-message", "--queue-url", dlq,
                           "--attribute-names", "All",
                           "--visibility-timeout", "0")
        self.assertEqual(dead["Messages"][0]["Body"], "Latte|not-a-date")
        self.assertTrue(dead["Messages"][0]["Attributes"][
            "DeadLetterQueueSourceArn"].endswith(":cafeteria-queue"))

        started = self.cli.ok("sqs", "start-message-move-task",
                              "--source-arn", dlq_arn)
        self.assertTrue(started["TaskHandle"])

        def completed():
            tasks = self.cli.ok("sqs", "list-message-move-tasks",
                                "--source-arn", dlq_arn)["Results"]
            return tasks and tasks[0]["Status"] == "COMPLETED" and tasks[0]
        task = harness.poll_until(completed, 20, "the move task to complete")
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 1)
        back = self.sqs.receive_message(QueueUrl=url)["Messages"]
        self.assertEqual(back[0]["Body"], "Latte|not-a-date")

        missing = self.cli.fails("sqs", "cancel-message-move-task",
                                 "--task-handle", "no-such-task")
        self.assertIn("ResourceNotFoundException", missing.stderr)


class CliV2FifoTest(FifoCli, unittest.TestCase):
    major = 2


if __name__ == "__main__":
    harness.main()
