"""The cafeteria seed's SQS commands, verbatim, with both AWS CLIs.

Seed: shared/seeds/000 (create-queue, get-queue-url, send-message
"Latte|2025-02-26 10:30:00", receive-message, delete-message, delete-queue);
the only addition is `--endpoint-url http://127.0.0.1:PORT`, which both CLIs
need (CLI v1 ignores AWS_ENDPOINT_URL for sqs, CLI v2.9 ignores it entirely).
"""

import unittest

import harness


class CafeteriaFlow:
    """The seed's commands in order; one server per CLI."""

    major = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.cli = harness.Cli(cls.major, cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_cafeteria_flow(self):
        cli = self.cli
        port = self.server.port

        created = cli.ok("sqs", "create-queue", "--queue-name",
                         "cafeteria-queue")
        queue_url = created["QueueUrl"]
        self.assertIn(f":{port}/000000000000/cafeteria-queue", queue_url)
        self.assertEqual(queue_url, self.server.queue_url("cafeteria-queue"))

        # QUEUE_URL=$(aws sqs get-queue-url --queue-name cafeteria-queue
        #             --query QueueUrl --output text)
        text = cli.run("sqs", "get-queue-url", "--queue-name",
                       "cafeteria-queue", "--query", "QueueUrl", "--output",
                       "text")
        self.assertEqual(text.returncode, 0, text)
        self.assertEqual(text.stdout.strip(), queue_url)
        self.assertEqual(
            cli.ok("sqs", "get-queue-url", "--queue-name",
                   "cafeteria-queue")["QueueUrl"], queue_url)

        orders = [
            "Latte|2025-02-26 10:30:00",
            "Cappuccino|2025-02-26 10:31:00",
            "Espresso|2025-02-26 10:32:00",
        ]
        sent = {}
        for body in orders:
            reply = cli.ok("sqs", "send-message", "--queue-url", queue_url,
                           "--message-body", body)
            self.assertEqual(reply["MD5OfMessageBody"],
                             harness.md5_of_body(body))
            self.assertRegex(reply["MessageId"],
                             r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                             r"[0-9a-f]{4}-[0-9a-f]{12}$")
            sent[reply["MessageId"]] = body

        # The consumer: receive one at a time, delete what it processed.
        received = {}
        for _ in range(len(orders)):
            reply = cli.ok("sqs", "receive-message", "--queue-url", queue_url)
            messages = reply.get("Messages", [])
            self.assertEqual(len(messages), 1, reply)  # default max 1
            message = messages[0]
            self.assertEqual(message["MD5OfBody"],
                             harness.md5_of_body(message["Body"]))
            self.assertEqual(sent[message["MessageId"]], message["Body"])
            coffee_type, timestamp = message["Body"].split("|")
            self.assertIn(coffee_type, ("Latte", "Cappuccino", "Espresso"))
            self.assertRegex(timestamp, r"^2025-02-26 10:3[0-2]:00$")
            received[message["MessageId"]] = message["Body"]
            deleted = cli.run("sqs", "delete-message", "--queue-url",
                              queue_url, "--receipt-handle",
                              message["ReceiptHandle"])
            self.assertEqual(deleted.returncode, 0, deleted)
            self.assertEqual(deleted.stdout.strip(), "", deleted)
        self.assertEqual(received, sent)

        # Nothing is left: not visible, not in flight.
        self.assertEqual(
            cli.ok("sqs", "receive-message", "--queue-url",
                   queue_url).get("Messages", []), [])
        attributes = harness.boto3_client(self.server).get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"
            ])["Attributes"]
        self.assertEqual(
            attributes, {
                "ApproximateNumberOfMessages": "0",
                "ApproximateNumberOfMessagesNotVisible": "0",
                "ApproximateNumberOfMessagesDelayed": "0",
            })

        deleted = cli.run("sqs", "delete-queue", "--queue-url", queue_url)
        self.assertEqual(deleted.returncode, 0, deleted)
        gone = cli.fails("sqs", "get-queue-url", "--queue-name",
                         "cafeteria-queue")
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", gone.stderr)


class CliV1CafeteriaTest(CafeteriaFlow, unittest.TestCase):
    major = 1


class CliV2CafeteriaTest(CafeteriaFlow, unittest.TestCase):
    major = 2


if __name__ == "__main__":
    harness.main()
