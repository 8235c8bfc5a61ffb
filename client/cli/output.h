// How the CLI prints what the broker returns: a human form (the default)
// and a --json form with SQS's field names, one compact object per line.
// Thread-safety: pure functions.
#ifndef CORTADO_CLIENT_CLI_OUTPUT_H_
#define CORTADO_CLIENT_CLI_OUTPUT_H_

#include <string>

#include "cortado/types.h"

namespace cortado::cli {

// {"MessageId", "ReceiptHandle", "MD5OfBody", "Body", "Attributes",
//  "MessageAttributes": {name: {"DataType", "StringValue"|"BinaryValue"}}},
// binary values in base64 as the AWS CLI prints them.
std::string MessageJson(const client::Message& message);

// A header line with the id and receive count, the receipt handle, one line
// per attribute, then the body and a newline.
std::string MessageText(const client::Message& message);

// {"MessageId", "MD5OfMessageBody", ...}, empty fields left out.
std::string SendResultJson(const client::SendResult& result);

// "key  value" lines with the values aligned, in key order.
std::string AlignedPairs(const client::StringMap& values);

}  // namespace cortado::cli

#endif  // CORTADO_CLIENT_CLI_OUTPUT_H_
