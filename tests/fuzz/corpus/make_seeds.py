#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz (one directory per target).

Each seed is a request or document taken from the project's tests (named
beside it), in the input format of its target (tests/fuzz/<target>.cc).
Run from anywhere; rewrites the seed-*.txt/.bin files it owns and leaves the
crash-* regression inputs alone.
"""
import base64
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


def receipt_handle(queue_id, sequence, receive_count):
    """server/core/receipt_handle.cc's EncodeReceiptHandle."""
    raw = struct.pack(">QQI", queue_id, sequence, receive_count)
    h = 0x811C9DC5 ^ 0x43525444
    for b in raw:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    raw += struct.pack(">I", h)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


URL = "http://127.0.0.1:9324/000000000000/orders"
HANDLE = receipt_handle(3, 17, 1)

# tests/gateway/query_actions_test.cc, sns_publish_test.cc
FORMS = {
    "create": "Action=CreateQueue&QueueName=orders&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40&Tag.1.Key=team&Tag.1.Value=cafe",
    "send": "Action=SendMessage&QueueUrl=" + URL + "&MessageBody=via+path&DelaySeconds=0"
            "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red"
            "&MessageAttribute.2.Name=blob&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AAEC",
    "batch": "Action=SendMessageBatch&QueueUrl=" + URL +
             "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one"
             "&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two%20%E2%82%AC",
    "receive": "Action=ReceiveMessage&QueueUrl=" + URL + "&MaxNumberOfMessages=10&AttributeName.1=All&MessageAttributeName.1=All&WaitTimeSeconds=0",
    "delete": "Action=DeleteMessageBatch&QueueUrl=" + URL + "&DeleteMessageBatchRequestEntry.1.Id=x&DeleteMessageBatchRequestEntry.1.ReceiptHandle=" + HANDLE,
    "publish": "Action=Publish&TopicArn=arn:aws:sns:us-east-1:000000000000:orders&Message=hello&Subject=s"
               "&MessageAttributes.entry.1.Name=event&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=order_placed",
    "publish_batch": "Action=PublishBatch&TopicArn=arn:aws:sns:us-east-1:000000000000:orders"
                     "&PublishBatchRequestEntries.member.1.Id=1&PublishBatchRequestEntries.member.1.Message=m1",
}

# tests/gateway/json_actions_test.cc
JSONS = {
    "create": '{"QueueName":"orders.fifo","Attributes":{"FifoQueue":"true","ContentBasedDeduplication":"true"},"tags":{"team":"cafe"}}',
    "send": '{"QueueUrl":"' + URL + '","MessageBody":"hi \\u00e9 \\uD83D\\uDE00","DelaySeconds":5,'
            '"MessageAttributes":{"color":{"DataType":"String","StringValue":"red"},"n":{"DataType":"Number","StringValue":"1.5e3"},'
            '"b":{"DataType":"Binary","BinaryValue":"AAEC"}},"MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String","StringValue":"Root=1"}}}',
    "batch": '{"QueueUrl":"' + URL + '","Entries":[{"Id":"a","MessageBody":"one"},{"Id":"b","MessageBody":"two","DelaySeconds":1}]}',
    "receive": '{"QueueUrl":"' + URL + '","MaxNumberOfMessages":10,"AttributeNames":["All"],"MessageAttributeNames":["color",".*"]}',
    "delete": '{"QueueUrl":"' + URL + '","Entries":[{"Id":"x","ReceiptHandle":"' + HANDLE + '"}]}',
    "set": '{"QueueUrl":"' + URL + '","Attributes":{"RedrivePolicy":"{\\"deadLetterTargetArn\\":\\"arn:aws:sqs:us-east-1:000000000000:dlq\\",\\"maxReceiveCount\\":5}"}}',
}


def http_seeds():
    for name, form in FORMS.items():
        write("http_request_fuzzer", "seed-query-" + name,
              "\x07POST / HTTP/1.1\r\nHost: 127.0.0.1:9324\r\n"
              "Content-Type: application/x-www-form-urlencoded\r\n"
              "Content-Length: %d\r\n\r\n%s" % (len(form), form))
    for name, body in JSONS.items():
        action = {"create": "CreateQueue", "send": "SendMessage", "batch": "SendMessageBatch",
                  "receive": "ReceiveMessage", "delete": "DeleteMessageBatch",
                  "set": "SetQueueAttributes"}[name]
        write("http_request_fuzzer", "seed-json-" + name,
              "\x20POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonSQS.%s\r\n"
              "Content-Type: application/x-amz-json-1.0\r\n"
              "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, "
              "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\r\n"
              "Content-Length: %d\r\n\r\n%s" % (action, len(body), body))
    chunked = "Action=ListQueues&QueueNamePrefix=or"
    write("http_request_fuzzer", "seed-chunked",
          "\x03POST /000000000000/orders HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
          "Expect: 100-continue\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(chunked), chunked))
    write("http_request_fuzzer", "seed-get",
          "\x01GET /000000000000/orders?Action=GetQueueAttributes&AttributeName.1=All HTTP/1.1\r\nHost: h\r\n\r\n")
    # tests/gateway/robustness_test.cc: a duplicate Content-Length
    write("http_request_fuzzer", "seed-dup-length",
          "\x10POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")


def sigv4_seeds():
    # AWS's SigV4 test suite (tests/gateway/sigv4_vectors.cc): get-vanilla,
    # get-vanilla-query-order-key-case, post-x-www-form-urlencoded and a
    # presigned form.
    auth = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=")
    write("sigv4_fuzzer", "seed-get-vanilla",
          "GET /\nhost: example.amazonaws.com\nx-amz-date: 20150830T123600Z\nauthorization: " + auth +
          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n")
    write("sigv4_fuzzer", "seed-get-query-order",
          "GET /?Param2=value2&Param1=value1\nhost: example.amazonaws.com\nx-amz-date: 20150830T123600Z\nauthorization: " + auth +
          "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500\n")
    write("sigv4_fuzzer", "seed-post-form",
          "POST /\ncontent-type: application/x-www-form-urlencoded\nhost: example.amazonaws.com\nx-amz-date: 20150830T123600Z\n"
          "authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a\n\nParam1=value1")
    write("sigv4_fuzzer", "seed-presigned",
          "GET /000000000000/orders?Action=ListQueues&X-Amz-Algorithm=AWS4-HMAC-SHA256"
          "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsqs%2Faws4_request&X-Amz-Date=20150830T123600Z"
          "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=0000000000000000000000000000000000000000000000000000000000000000\n"
          "host: example.amazonaws.com\n")
    write("sigv4_fuzzer", "seed-path-dots",
          "GET /example/../a/./b//c%20d?a=%zz&b=+x\nhost:  example.amazonaws.com  \nmy-header1:  value1  a   b  \n")


def attribute_seeds():
    for name in ("send", "publish"):
        write("message_attributes_fuzzer", "seed-query-" + name, "\x01" + FORMS[name])
    write("message_attributes_fuzzer", "seed-json-send", "\x00" + JSONS["send"])
    write("message_attributes_fuzzer", "seed-json-labels",
          '\x00{"MessageAttributes":{"a.b":{"DataType":"Number.float","StringValue":"-0.5"},'
          '"c":{"DataType":"Binary.png","BinaryValue":"iVBORw0KGgo="},"d":{"DataType":"String.Array","StringValue":"[\\"x\\",1]"}}}')
    for name, form in FORMS.items():
        write("query_form_fuzzer", "seed-" + name, form)
    for name, body in JSONS.items():
        write("json_request_fuzzer", "seed-" + name, body)
    write("json_request_fuzzer", "seed-nested", '{"a":[1,-2.5e-3,true,false,null,{"b":"\\t\\"\\\\\\/\\b\\f\\n\\r"}]}')


def core_seeds():
    # tests/core/filter_policy_test.cc: policy, attributes, body.
    filters = {
        "exact": ('{"event":["order_placed"]}', "event String order_placed", ""),
        "numeric": ('{"p":[{"numeric":[">",0,"<=",100]}]}', "p Number 50", ""),
        "anything-but": ('{"c":[{"anything-but":{"prefix":"in"}}]}', "c String out", ""),
        "prefix-suffix": ('{"color":[{"prefix":"bl"}],"file":[{"suffix":".png"}]}', "color String blue\nfile String a.png", ""),
        "ignore-case-exists": ('{"color":[{"equals-ignore-case":"RED"}],"x":[{"exists":false}]}', "color String red", ""),
        "cidr": ('{"ip":[{"cidr":"10.0.0.0/24"}]}', "ip String 10.0.0.7", ""),
        "or-body": ('{"$or":[{"a":["1"]},{"b":{"c":[{"numeric":["=",5]}]}}]}', "",
                    '{"a":"2","b":{"c":5}}'),
        "array-attr": ('{"color":["red","blue"]}', 'color String.Array ["red","green"]', ""),
        "body-null-bool": ('{"a":[null],"b":[true]}', "", '{"a":null,"b":true}'),
    }
    for name, (policy, attrs, body) in filters.items():
        write("filter_policy_fuzzer", "seed-" + name, policy + "\n%%\n" + attrs + "\n%%\n" + body)
    # tests/core/queue_attributes_test.cc, broker_redrive_test.cc
    redrive = '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"5"}'
    queues = {
        "standard": ("orders", "VisibilityTimeout 40\nDelaySeconds 5\nMaximumMessageSize 2048", "ReceiveMessageWaitTimeSeconds 20"),
        "fifo": ("orders.fifo", "FifoQueue true\nContentBasedDeduplication true\nDeduplicationScope messageGroup\nFifoThroughputLimit perMessageGroupId", "DeduplicationScope queue"),
        "redrive": ("orders", "RedrivePolicy " + redrive, "RedrivePolicy "),
        "allow": ("dlq", 'RedriveAllowPolicy {"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:source"]}',
                  'RedriveAllowPolicy {"redrivePermission":"denyAll"}'),
        "kms": ("orders", "KmsMasterKeyId alias/aws/sqs\nKmsDataKeyReusePeriodSeconds 600\nSqsManagedSseEnabled false\nPolicy {}", "MessageRetentionPeriod 60"),
    }
    for name, (queue, given, changes) in queues.items():
        write("queue_attributes_fuzzer", "seed-" + name, queue + "\n%%\n" + given + "\n%%\n" + changes)
    write("receipt_handle_fuzzer", "seed-valid", HANDLE)
    write("receipt_handle_fuzzer", "seed-large", receipt_handle(2**64 - 1, 2**63, 2**31 - 1))
    write("receipt_handle_fuzzer", "seed-garbage", "not-a-handle")


def config_seeds():
    root = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
    with open(os.path.join(root, "examples", "config", "cafeteria.yaml")) as f:
        write("config_yaml_fuzzer", "seed-cafeteria", f.read())
    with open(os.path.join(root, "packaging", "cortado.yaml")) as f:
        write("config_yaml_fuzzer", "seed-packaged", f.read())
    write("config_yaml_fuzzer", "seed-flow",
          "prune: true\nqueues: [{name: a.fifo, attributes: {FifoQueue: true, VisibilityTimeout: 1m}}, {name: b}]\n"
          "topics:\n  - name: t\n    attributes: {DisplayName: x}\n    subscriptions:\n"
          "      - {queue: b, raw: true, filter_policy: {event: [order_placed]}}\n")


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(number, payload):
    """A length-delimited protobuf field."""
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def rpc_seeds():
    attr = field(1, "String") + field(2, "red")
    entry = (field(1, "a") + field(2, "hello") + varint(3 << 3) + varint(5) +
             field(4, field(1, "color") + field(2, attr)) +
             field(5, field(1, "AWSTraceHeader") + field(2, attr)) + field(6, "g"))
    seeds = {
        "create": (0, field(1, "orders") + field(2, field(1, "VisibilityTimeout") + field(2, "40")) +
                   field(3, field(1, "team") + field(2, "cafe"))),
        "list": (1, field(1, "or") + varint(2 << 3) + varint(10)),
        "send": (2, field(1, "orders") + field(2, entry)),
        "batch": (3, field(1, "orders") + field(2, entry) + field(2, entry)),
        "publish-stream": (4, varint(1 << 3) + varint(7) + field(2, field(1, "orders") + field(2, entry))),
        "receive": (5, field(1, "orders") + varint(2 << 3) + varint(10)),
        "delete-batch": (6, field(1, "orders") + field(2, field(1, "x") + field(2, HANDLE))),
        "visibility-batch": (7, field(1, "orders") + field(2, field(1, "x") + field(2, HANDLE) + varint(3 << 3) + varint(60))),
        "set-attributes": (8, field(1, "orders") + field(2, field(1, "DelaySeconds") + field(2, "5"))),
        "publish-batch": (9, field(1, "arn:aws:sns:us-east-1:000000000000:t") +
                          field(2, field(1, "1") + field(2, "m") + field(5, field(1, "event") + field(2, attr)))),
        "tag": (10, field(1, "orders") + field(2, field(1, "k") + field(2, "v"))),
    }
    for name, (kind, payload) in seeds.items():
        write("rpc_convert_fuzzer", "seed-" + name, bytes([kind]) + payload)


if __name__ == "__main__":
    http_seeds()
    sigv4_seeds()
    attribute_seeds()
    core_seeds()
    config_seeds()
    rpc_seeds()
