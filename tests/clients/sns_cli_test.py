"""SNS fan-out into SQS with real AWS clients (CLI v1, CLI v2, boto3).

The document's scenario: topic `created-consumer` fanning out to queues
`api-orders-created-consumer` and `api-payment-created-payment`; a producer
publishes several messages and both queues receive every one (as SNS JSON
envelopes). Plus raw vs envelope delivery, and a filter policy routing
{"event":["order_placed"]} messages to one queue and everything else to
another. Publishing commits every subscriber's copy before it answers, so
receives need no waiting; receive calls still use a short long-poll bounded
by harness.poll_until's deadline.
"""

import json
import unittest

import harness

TOPIC = "created-consumer"
ORDERS = "api-orders-created-consumer"
PAYMENTS = "api-payment-created-payment"


def drain(receive, expected_count, what):
    """Receives until `expected_count` messages arrived (deadline-bounded)."""
    got = []

    def step():
        got.extend(receive())
        return len(got) >= expected_count

    harness.poll_until(step, 30, what)
    return got


class SnsCliFlow:
    """The scenario with one AWS CLI; one server per class."""

    major = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.cli = harness.Cli(cls.major, cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def queue(self, name, look_up_arn=False):
        """Creates queue `name`; returns (url, arn). With `look_up_arn` the
        ARN comes from get-queue-attributes, as a user would get it (each CLI
        call costs ~1 s, so the other tests build it)."""
        url = self.cli.ok("sqs", "create-queue", "--queue-name",
                          name)["QueueUrl"]
        arn = (f"arn:aws:sqs:{harness.REGION}:{harness.ACCOUNT_ID}:{name}")
        if look_up_arn:
            self.assertEqual(
                self.cli.ok("sqs", "get-queue-attributes", "--queue-url", url,
                            "--attribute-names",
                            "QueueArn")["Attributes"]["QueueArn"], arn)
        return url, arn

    def receive(self, url):
        """Receives what is visible; received messages stay in flight for the
        default 30 s visibility timeout, so a later receive in the same test
        only sees new copies."""
        reply = self.cli.ok("sqs", "receive-message", "--queue-url", url,
                            "--max-number-of-messages", "10",
                            "--wait-time-seconds", "1",
                            "--message-attribute-names", "All")
        messages = reply.get("Messages", [])
        for message in messages:
            self.assertEqual(message["MD5OfBody"],
                             harness.md5_of_body(message["Body"]))
        return messages

    def test_document_scenario_fan_out(self):
        cli = self.cli
        topic_arn = cli.ok("sns", "create-topic", "--name", TOPIC)["TopicArn"]
        self.assertEqual(
            topic_arn,
            f"arn:aws:sns:{harness.REGION}:{harness.ACCOUNT_ID}:{TOPIC}")
        self.assertIn({"TopicArn": topic_arn},
                      cli.ok("sns", "list-topics")["Topics"])

        urls = {}
        for name in (ORDERS, PAYMENTS):
            url, arn = self.queue(name, look_up_arn=True)
            urls[name] = url
            sub = cli.ok("sns", "subscribe", "--topic-arn", topic_arn,
                         "--protocol", "sqs", "--notification-endpoint",
                         arn)["SubscriptionArn"]
            self.assertTrue(sub.startswith(topic_arn + ":"), sub)
        subs = cli.ok("sns", "list-subscriptions-by-topic", "--topic-arn",
                      topic_arn)["Subscriptions"]
        self.assertEqual(
            sorted(s["Endpoint"] for s in subs),
            sorted(f"arn:aws:sqs:{harness.REGION}:{harness.ACCOUNT_ID}:{n}"
                   for n in (ORDERS, PAYMENTS)))

        # The producer publishes several events.
        published = {}
        for i in range(3):
            body = json.dumps({"orderId": i, "event": "created"})
            reply = cli.ok("sns", "publish", "--topic-arn", topic_arn,
                           "--message", body, "--subject", f"order {i}")
            published[reply["MessageId"]] = body

        for name in (ORDERS, PAYMENTS):
            messages = drain(lambda: self.receive(urls[name]),
                             len(published), f"{name} to get every message")
            envelopes = [json.loads(m["Body"]) for m in messages]
            self.assertEqual(
                {e["MessageId"]: e["Message"] for e in envelopes}, published,
                name)
            for envelope in envelopes:
                self.assertEqual(envelope["Type"], "Notification")
                self.assertEqual(envelope["TopicArn"], topic_arn)
                self.assertTrue(envelope["Subject"].startswith("order "))
                self.assertEqual(envelope["SignatureVersion"], "1")
                self.assertTrue(envelope["Signature"])
            # Every message was delivered exactly once.
            self.assertEqual(self.receive(urls[name]), [])

    def test_filter_policy_routes_order_placed(self):
        cli = self.cli
        topic_arn = cli.ok("sns", "create-topic",
                           "--name", "routed-events")["TopicArn"]
        orders_url, orders_arn = self.queue("only-orders")
        rest_url, rest_arn = self.queue("everything-else")
        cli.ok("sns", "subscribe", "--topic-arn", topic_arn, "--protocol",
               "sqs", "--notification-endpoint", orders_arn, "--attributes",
               json.dumps({"FilterPolicy": json.dumps(
                   {"event": ["order_placed"]}),
                           "RawMessageDelivery": "true"}))
        cli.ok("sns", "subscribe", "--topic-arn", topic_arn, "--protocol",
               "sqs", "--notification-endpoint", rest_arn, "--attributes",
               json.dumps({"FilterPolicy": json.dumps(
                   {"event": [{"anything-but": "order_placed"}]}),
                           "RawMessageDelivery": "true"}))
        for body, event in (("o1", "order_placed"), ("p1", "payment_made"),
                            ("o2", "order_placed"), ("s1", "shipped")):
            cli.ok("sns", "publish", "--topic-arn", topic_arn, "--message",
                   body, "--message-attributes",
                   json.dumps({"event": {"DataType": "String",
                                         "StringValue": event}}))
        orders = drain(lambda: self.receive(orders_url), 2, "order events")
        rest = drain(lambda: self.receive(rest_url), 2, "other events")
        self.assertEqual(sorted(m["Body"] for m in orders), ["o1", "o2"])
        self.assertEqual(sorted(m["Body"] for m in rest), ["p1", "s1"])

        bad = cli.fails("sns", "subscribe", "--topic-arn", topic_arn,
                        "--protocol", "sqs", "--notification-endpoint",
                        orders_arn, "--attributes",
                        json.dumps({"FilterPolicy": '{"event":[]}'}))
        self.assertIn("InvalidParameter", bad.stderr)



class SnsCliExtras:
    """Raw vs envelope delivery and errors: run with CLI v1 only (the CLI
    calls cost ~1-2 s each on a loaded machine; the wire format is the same
    query protocol for both CLIs, and boto3 covers it too)."""

    def test_raw_vs_envelope_delivery(self):
        cli = self.cli
        topic_arn = cli.ok("sns", "create-topic",
                           "--name", "raw-vs-envelope")["TopicArn"]
        raw_url, raw_arn = self.queue("raw-delivery")
        env_url, env_arn = self.queue("envelope-delivery")
        raw_sub = cli.ok("sns", "subscribe", "--topic-arn", topic_arn,
                         "--protocol", "sqs", "--notification-endpoint",
                         raw_arn)["SubscriptionArn"]
        cli.ok("sns", "subscribe", "--topic-arn", topic_arn, "--protocol",
               "sqs", "--notification-endpoint", env_arn)
        set_reply = cli.run("sns", "set-subscription-attributes",
                            "--subscription-arn", raw_sub, "--attribute-name",
                            "RawMessageDelivery", "--attribute-value", "true")
        self.assertEqual(set_reply.returncode, 0, set_reply)
        self.assertEqual(
            cli.ok("sns", "get-subscription-attributes", "--subscription-arn",
                   raw_sub)["Attributes"]["RawMessageDelivery"], "true")

        cli.ok("sns", "publish", "--topic-arn", topic_arn, "--message",
               "Latte|2025-02-26 10:30:00", "--message-attributes",
               json.dumps({"size": {"DataType": "String",
                                    "StringValue": "large"}}))

        raw = drain(lambda: self.receive(raw_url), 1, "the raw copy")
        self.assertEqual(raw[0]["Body"], "Latte|2025-02-26 10:30:00")
        self.assertEqual(raw[0]["MessageAttributes"],
                         {"size": {"DataType": "String",
                                   "StringValue": "large"}})
        self.assertEqual(
            raw[0]["MD5OfMessageAttributes"],
            harness.md5_of_attributes(raw[0]["MessageAttributes"]))

        wrapped = drain(lambda: self.receive(env_url), 1, "the envelope copy")
        envelope = json.loads(wrapped[0]["Body"])
        self.assertEqual(envelope["Message"], "Latte|2025-02-26 10:30:00")
        self.assertEqual(envelope["MessageAttributes"],
                         {"size": {"Type": "String", "Value": "large"}})
        self.assertNotIn("MessageAttributes", wrapped[0])

    def test_errors(self):
        missing = self.cli.fails(
            "sns", "get-topic-attributes", "--topic-arn",
            f"arn:aws:sns:{harness.REGION}:{harness.ACCOUNT_ID}:nope")
        self.assertIn("NotFound", missing.stderr)
        self.assertIn("Topic does not exist", missing.stderr)


class CliV1SnsTest(SnsCliFlow, SnsCliExtras, unittest.TestCase):
    major = 1


class CliV2SnsTest(SnsCliFlow, unittest.TestCase):
    major = 2


class Boto3SnsTest(unittest.TestCase):
    """boto3's SNS client (query protocol) against the same scenario."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        sqs = harness.boto3_client(cls.server)
        import boto3
        import botocore.config
        cls.sqs = sqs
        cls.sns = boto3.client(
            "sns", endpoint_url=cls.server.endpoint,
            region_name=harness.REGION, aws_access_key_id="test",
            aws_secret_access_key="test",
            config=botocore.config.Config(retries={"total_max_attempts": 1}))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_fan_out_and_batch(self):
        topic_arn = self.sns.create_topic(Name=TOPIC)["TopicArn"]
        urls = []
        for name in (ORDERS, PAYMENTS):
            url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
            arn = self.sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                    "QueueArn"]
            self.sns.subscribe(TopicArn=topic_arn, Protocol="sqs",
                               Endpoint=arn, ReturnSubscriptionArn=True)
            urls.append(url)
        reply = self.sns.publish_batch(
            TopicArn=topic_arn,
            PublishBatchRequestEntries=[{"Id": f"m{i}", "Message": f"body {i}"}
                                        for i in range(3)])
        self.assertEqual(sorted(e["Id"] for e in reply["Successful"]),
                         ["m0", "m1", "m2"])
        self.assertEqual(reply["Failed"], [])
        for url in urls:
            got = []

            def step():
                got.extend(self.sqs.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10,
                    WaitTimeSeconds=1).get("Messages", []))
                return len(got) >= 3

            harness.poll_until(step, 30, f"{url} to get the batch")
            self.assertEqual(
                sorted(json.loads(m["Body"])["Message"] for m in got),
                ["body 0", "body 1", "body 2"])

        tags = [{"Key": "team", "Value": "payments"}]
        self.sns.tag_resource(ResourceArn=topic_arn, Tags=tags)
        self.assertEqual(
            self.sns.list_tags_for_resource(ResourceArn=topic_arn)["Tags"],
            tags)
        with self.assertRaises(self.sns.exceptions.NotFoundException):
            self.sns.get_topic_attributes(
                TopicArn=f"arn:aws:sns:{harness.REGION}:"
                f"{harness.ACCOUNT_ID}:missing")


if __name__ == "__main__":
    harness.main()
