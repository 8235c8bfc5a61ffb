"""Issue 14 ("Compatibility") through the real clients that hit each item:
boto3 (SQS over JSON, SNS over query), both AWS CLIs, and the raw query
requests boto2 and kombu's asynchronous client send.

 1. ChangeMessageVisibility with an older receipt handle applies.
 2. Unnumbered query list parameters (AttributeName=All).
 3. AddPermission: only grantable actions; an empty account list.
 4. Message attribute names with letters beyond ASCII.
 5. Filter policies compare numbers to five decimal places.
 6. MessageBody filter policies look through arrays.
 7. PublishBatch: request-wide problems fail the whole request.
 8. SNS error texts (topic name, message attributes).
 9. Subject: up to 100 characters.
10. AddPermission / RemovePermission for topics.
"""

import json
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import harness

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError as error:  # No PyPI here: never skip, fail loudly.
    raise SystemExit(f"boto3 is required and is missing ({error})")

# A name SQS accepts although its documentation names only ASCII.
LATIN_NAME = "attr.1\u00f8\u00df\u00e4"
S3_EVENT = {"Records": [{"eventName": "ObjectRemoved:Delete"},
                        {"eventName": "ObjectCreated:Put",
                         "s3": {"object": {"key": "a.txt"}}}]}
S3_POLICY = {"Records": {"eventName": [{"prefix": "ObjectCreated:"}]}}


def sns_client(server):
    return boto3.client(
        "sns", endpoint_url=server.endpoint, region_name=harness.REGION,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=botocore.config.Config(retries={"total_max_attempts": 1}))


def error_of(raised):
    response = raised.exception.response
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])


class ServerTest(unittest.TestCase):
    """One server per class and a boto3 SQS client for it."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.sqs = harness.boto3_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


class Boto3SqsCompatTest(ServerTest):
    """Items 1, 3 and 4 with boto3 (AWS JSON 1.0)."""

    def test_older_receipt_handle_changes_the_current_receive(self):
        url = self.sqs.create_queue(QueueName="older-handle")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="celery task")
        # A zero timeout leaves the message visible for the next receive.
        [first] = self.sqs.receive_message(QueueUrl=url,
                                           VisibilityTimeout=0)["Messages"]
        [second] = self.sqs.receive_message(QueueUrl=url,
                                            VisibilityTimeout=600)["Messages"]
        self.assertNotEqual(first["ReceiptHandle"], second["ReceiptHandle"])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=first["ReceiptHandle"],
            VisibilityTimeout=0)
        [again] = self.sqs.receive_message(QueueUrl=url)["Messages"]
        self.assertEqual(again["MessageId"], first["MessageId"])

    def test_add_permission_refuses_owner_only_actions(self):
        url = self.sqs.create_queue(QueueName="perm-boto3")["QueueUrl"]
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sqs.add_permission(QueueUrl=url, Label="l",
                                    AWSAccountIds=["111122223333"],
                                    Actions=["SendMessage", "DeleteQueue"])
        self.assertEqual(error_of(raised), (
            "InvalidParameterValue",
            "Value SQS:DeleteQueue for parameter ActionName is invalid. "
            "Reason: Only the queue owner is allowed to invoke this action.",
            400))
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sqs.add_permission(QueueUrl=url, Label="l", AWSAccountIds=[],
                                    Actions=["SendMessage"])
        self.assertEqual(error_of(raised), (
            "InvalidParameterValue",
            "Value [] for parameter PrincipalId is invalid. Reason: Unable to "
            "verify.", 400))
        self.sqs.add_permission(QueueUrl=url, Label="l",
                                AWSAccountIds=["111122223333"],
                                Actions=["*", "PurgeQueue", "GetQueueUrl"])

    def test_attribute_name_with_latin_letters(self):
        url = self.sqs.create_queue(QueueName="latin-names")["QueueUrl"]
        attributes = {LATIN_NAME: {"DataType": "String", "StringValue": "v"},
                      "\u00f6ther_encodings": {"DataType": "Number",
                                               "StringValue": "1"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="m",
                                     MessageAttributes=attributes)
        self.assertEqual(sent["MD5OfMessageAttributes"],
                         harness.md5_of_attributes(attributes))
        [message] = self.sqs.receive_message(
            QueueUrl=url, MessageAttributeNames=["All"])["Messages"]
        self.assertEqual(message["MessageAttributes"], attributes)
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sqs.send_message(
                QueueUrl=url, MessageBody="m",
                MessageAttributes={"\u03b1": {"DataType": "String",
                                              "StringValue": "v"}})
        self.assertEqual(error_of(raised)[0], "InvalidParameterValue")


class Boto2QueryTest(ServerTest):
    """Item 2: the unnumbered list parameters boto2 and kombu's asynchronous
    get_queue_attributes send, posted to the queue URL as boto2 does."""

    def query(self, url, **params):
        body = urllib.parse.urlencode(
            {"Version": "2012-11-05", **params}).encode()
        request = urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type":
                     "application/x-www-form-urlencoded; charset=UTF-8",
                     "User-Agent": "Boto/2.49.0 Python/3.11"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return ElementTree.fromstring(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{params}: {error.code} {error.read()!r}")

    @staticmethod
    def pairs(root, element):
        namespace = "{http://queue.amazonaws.com/doc/2012-11-05/}"
        return {a.find(namespace + "Name").text: a.find(namespace + "Value").text
                for a in root.iter(namespace + element)}

    def test_unnumbered_attribute_names(self):
        url = self.sqs.create_queue(QueueName="boto2-queue")["QueueUrl"]
        self.query(url, Action="SetQueueAttributes",
                   **{"Attribute.Name": "VisibilityTimeout",
                      "Attribute.Value": "45"})
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        one = self.query(url, Action="GetQueueAttributes",
                         AttributeName="ApproximateNumberOfMessages")
        self.assertEqual(self.pairs(one, "Attribute"),
                         {"ApproximateNumberOfMessages": "1"})
        every = self.pairs(self.query(url, Action="GetQueueAttributes",
                                      AttributeName="All"), "Attribute")
        self.assertEqual(every["VisibilityTimeout"], "45")
        self.assertEqual(every["QueueArn"],
                         "arn:aws:sqs:us-east-1:000000000000:boto2-queue")
        received = self.query(url, Action="ReceiveMessage",
                              AttributeName="All", MessageAttributeName="All")
        attributes = self.pairs(received, "Attribute")
        self.assertEqual(attributes["ApproximateReceiveCount"], "1")
        self.assertIn("SentTimestamp", attributes)


class Boto3SnsCompatTest(ServerTest):
    """Items 5 to 10 with boto3's SNS client (query protocol)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sns = sns_client(cls.server)

    def subscribed_queue(self, topic_arn, name, attributes):
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = f"arn:aws:sqs:{harness.REGION}:{harness.ACCOUNT_ID}:{name}"
        self.sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn,
                           Attributes={"RawMessageDelivery": "true",
                                       **attributes})
        return url

    def bodies(self, url):
        """Everything the queue holds now (publishes commit every copy
        before they answer, so nothing is on its way)."""
        messages = self.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return sorted(m["Body"] for m in messages)

    def test_numbers_match_to_five_decimal_places(self):
        topic = self.sns.create_topic(Name="prices")["TopicArn"]
        url = self.subscribed_queue(topic, "prices-q", {
            "FilterPolicy": json.dumps({"price": [100.123456789]})})
        for body, value in (("close", "100.1234567"), ("far", "100.12")):
            self.sns.publish(TopicArn=topic, Message=body, MessageAttributes={
                "price": {"DataType": "Number", "StringValue": value}})
        self.assertEqual(self.bodies(url), ["close"])

    def test_message_body_policy_looks_through_arrays(self):
        topic = self.sns.create_topic(Name="s3-events")["TopicArn"]
        url = self.subscribed_queue(topic, "s3-events-q", {
            "FilterPolicyScope": "MessageBody",
            "FilterPolicy": json.dumps(S3_POLICY)})
        self.sns.publish(TopicArn=topic, Message=json.dumps(S3_EVENT))
        self.sns.publish(TopicArn=topic, Message=json.dumps(
            {"Records": [{"eventName": "ObjectRemoved:Delete"}]}))
        self.assertEqual(self.bodies(url), [json.dumps(S3_EVENT)])

    def test_publish_batch_with_a_request_wide_problem_fails_whole(self):
        fifo = self.sns.create_topic(
            Name="batch.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.publish_batch(TopicArn=fifo, PublishBatchRequestEntries=[
                {"Id": "a", "Message": "m", "MessageGroupId": "g",
                 "MessageDeduplicationId": "d"},
                {"Id": "b", "Message": "no group",
                 "MessageDeduplicationId": "e"}])
        self.assertEqual(error_of(raised), (
            "InvalidParameter",
            "Invalid parameter: The MessageGroupId parameter is required for "
            "FIFO topics", 400))
        topic = self.sns.create_topic(Name="batch-std")["TopicArn"]
        url = self.subscribed_queue(topic, "batch-std-q", {})
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
                {"Id": "a", "Message": "fine"},
                {"Id": "b", "Message": "m", "MessageAttributes": {
                    "n": {"DataType": "Number", "StringValue": "many"}}}])
        self.assertEqual(error_of(raised), (
            "ParameterValueInvalid",
            "Could not cast message attribute 'n' value to number.", 400))
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
                {"Id": "a", "Message": '{"sqs":"x"}',
                 "MessageStructure": "json"}])
        self.assertEqual(error_of(raised)[0], "InvalidParameter")
        self.assertEqual(self.bodies(url), [])

    def test_sns_error_texts(self):
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.create_topic(Name="mismatch.fifo")
        self.assertEqual(error_of(raised),
                         ("InvalidParameter", "Invalid parameter: Topic Name",
                          400))
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.create_topic(Name="mismatch",
                                  Attributes={"FifoTopic": "true"})
        self.assertEqual(error_of(raised)[1], "Invalid parameter: Topic Name")
        topic = self.sns.create_topic(Name="texts")["TopicArn"]
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.publish(TopicArn=topic, Message="m", MessageAttributes={
                "x": {"DataType": "String", "StringValue": ""}})
        self.assertEqual(error_of(raised), (
            "ParameterValueInvalid",
            "The message attribute 'x' must contain non-empty message "
            "attribute value for message attribute type 'String'.", 400))

    def test_subject_of_one_hundred_characters(self):
        topic = self.sns.create_topic(Name="subjects")["TopicArn"]
        self.sns.publish(TopicArn=topic, Message="m", Subject="s" * 100)
        self.sns.publish(TopicArn=topic, Message="m", Subject="\u00e9" * 100)
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.publish(TopicArn=topic, Message="m", Subject="s" * 101)
        self.assertEqual(error_of(raised),
                         ("InvalidParameter", "Invalid parameter: Subject",
                          400))

    def test_topic_permissions(self):
        topic = self.sns.create_topic(Name="shared")["TopicArn"]
        self.sns.add_permission(TopicArn=topic, Label="partner",
                                AWSAccountId=["111122223333"],
                                ActionName=["Publish"])
        policy = json.loads(self.sns.get_topic_attributes(
            TopicArn=topic)["Attributes"]["Policy"])
        statement = [s for s in policy["Statement"] if s["Sid"] == "partner"]
        self.assertEqual(statement, [{
            "Sid": "partner", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "SNS:Publish", "Resource": topic}])
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            self.sns.add_permission(TopicArn=topic, Label="partner",
                                    AWSAccountId=["111122223333"],
                                    ActionName=["Subscribe"])
        self.assertEqual(error_of(raised), (
            "InvalidParameter", "Invalid parameter: Statement already exists",
            400))
        self.sns.remove_permission(TopicArn=topic, Label="partner")
        policy = json.loads(self.sns.get_topic_attributes(
            TopicArn=topic)["Attributes"]["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]],
                         ["__default_statement_ID"])


class CliCompat:
    """Items 1, 3, 4, 7, 8, 9 and 10 with one AWS CLI (v1: SQS over JSON;
    v2: SQS over query; both: SNS over query)."""

    major = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cli = harness.Cli(cls.major, cls.server)

    def create(self, name):
        return self.cli.ok("sqs", "create-queue", "--queue-name",
                           name)["QueueUrl"]

    def receive(self, url, *extra):
        return self.cli.ok("sqs", "receive-message", "--queue-url", url,
                           *extra).get("Messages", [])

    def test_older_receipt_handle_changes_the_current_receive(self):
        url = self.create("cli-older-handle")
        self.cli.ok("sqs", "send-message", "--queue-url", url,
                    "--message-body", "m")
        [first] = self.receive(url, "--visibility-timeout", "0")
        [second] = self.receive(url, "--visibility-timeout", "600")
        self.assertEqual(first["MessageId"], second["MessageId"])
        self.cli.ok("sqs", "change-message-visibility", "--queue-url", url,
                     "--receipt-handle", first["ReceiptHandle"],
                     "--visibility-timeout", "0")
        [again] = self.receive(url)
        self.assertEqual(again["MessageId"], first["MessageId"])

    def test_add_permission_refuses_owner_only_actions(self):
        url = self.create("cli-perm")
        result = self.cli.fails("sqs", "add-permission", "--queue-url", url,
                                "--label", "l", "--aws-account-ids",
                                "111122223333", "--actions",
                                "SetQueueAttributes")
        self.assertIn("InvalidParameterValue", result.stderr)
        self.assertIn("Value SQS:SetQueueAttributes for parameter ActionName "
                      "is invalid. Reason: Only the queue owner is allowed "
                      "to invoke this action.", result.stderr)

    def test_attribute_name_with_latin_letters(self):
        url = self.create("cli-latin")
        attributes = {LATIN_NAME: {"DataType": "String", "StringValue": "v"}}
        sent = self.cli.ok("sqs", "send-message", "--queue-url", url,
                           "--message-body", "m", "--message-attributes",
                           json.dumps(attributes))
        self.assertEqual(sent["MD5OfMessageAttributes"],
                         harness.md5_of_attributes(attributes))
        [message] = self.receive(url, "--message-attribute-names", "All")
        self.assertEqual(message["MessageAttributes"], attributes)

    def test_sns_publish_batch_error_texts_and_subject(self):
        mismatch = self.cli.fails("sns", "create-topic", "--name",
                                  "cli-mismatch.fifo")
        self.assertIn("Invalid parameter: Topic Name", mismatch.stderr)
        fifo = self.cli.ok("sns", "create-topic", "--name", "cli.fifo",
                           "--attributes", "FifoTopic=true")["TopicArn"]
        batch = self.cli.fails(
            "sns", "publish-batch", "--topic-arn", fifo,
            "--publish-batch-request-entries", json.dumps([
                {"Id": "a", "Message": "m", "MessageGroupId": "g",
                 "MessageDeduplicationId": "d"},
                {"Id": "b", "Message": "m", "MessageDeduplicationId": "e"}]))
        self.assertIn("InvalidParameter", batch.stderr)
        self.assertIn("The MessageGroupId parameter is required for FIFO "
                      "topics", batch.stderr)
        topic = self.cli.ok("sns", "create-topic", "--name",
                            "cli-subjects")["TopicArn"]
        self.cli.ok("sns", "publish", "--topic-arn", topic, "--message", "m",
                    "--subject", "s" * 100)
        too_long = self.cli.fails("sns", "publish", "--topic-arn", topic,
                                  "--message", "m", "--subject", "s" * 101)
        self.assertIn("Invalid parameter: Subject", too_long.stderr)

    def test_topic_permissions(self):
        topic = self.cli.ok("sns", "create-topic", "--name",
                            "cli-shared")["TopicArn"]
        self.assertEqual(self.cli.ok(
            "sns", "add-permission", "--topic-arn", topic, "--label",
            "partner", "--aws-account-id", "111122223333", "--action-name",
            "Publish", "Subscribe"), {})
        policy = json.loads(self.cli.ok(
            "sns", "get-topic-attributes", "--topic-arn",
            topic)["Attributes"]["Policy"])
        [statement] = [s for s in policy["Statement"] if s["Sid"] == "partner"]
        self.assertEqual(statement["Action"], ["SNS:Publish", "SNS:Subscribe"])
        again = self.cli.fails("sns", "add-permission", "--topic-arn", topic,
                               "--label", "partner", "--aws-account-id",
                               "111122223333", "--action-name", "Publish")
        self.assertIn("Invalid parameter: Statement already exists",
                      again.stderr)
        self.assertEqual(self.cli.ok("sns", "remove-permission", "--topic-arn",
                                     topic, "--label", "partner"), {})


class CliV1CompatTest(CliCompat, ServerTest):
    major = 1


class CliV2CompatTest(CliCompat, ServerTest):
    major = 2


if __name__ == "__main__":
    harness.main()
