// The HTTP request parser: bytes as they arrive on a gateway connection,
// through the server's own Beast parser and limits
// (gateway/http_request_parser.h), then the first steps of the API pipeline
// the server runs on what it parsed: the Authorization header's parse and
// the decode step (protocol, form or JSON parameters, action).
//
// The first byte picks how the stream is cut into reads (the parser must
// give the same answer whatever the segmentation); the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/api_request.h"
#include "gateway/authenticate.h"
#include "gateway/decode.h"
#include "gateway/http_request_parser.h"
#include "gateway/sigv4.h"
#include "tests/fuzz/params_probe.h"

namespace {

using cortado::gateway::HttpRequest;

// Small limits, so that the fuzzer reaches the 413 and 431 paths.
constexpr size_t kMaxBody = 4096;
constexpr size_t kMaxHeader = 2048;

void RunPipeline(HttpRequest request) {
  cortado::gateway::SigV4Result auth =
      cortado::gateway::ParseAuthorization(request);
  cortado::gateway::Identity identity{auth.access_key, auth.service};
  cortado::gateway::ApiRequest api;
  (void)cortado::gateway::SqsProtocolOf(request);
  if (cortado::gateway::Decode(request, identity, api).ok()) {
    cortado::fuzz::ProbeParams(api.params());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 64;
  absl::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  cortado::gateway::RequestParser parser;
  cortado::gateway::LimitRequestParser(parser, kMaxBody, kMaxHeader);
  boost::beast::error_code ec;
  std::string pending;  // bytes the parser has not consumed yet
  size_t offset = 0;
  while (!parser.is_done()) {
    const size_t take = std::min(step, stream.size() - offset);
    pending.append(stream.data() + offset, take);
    offset += take;
    const size_t used =
        parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
    pending.erase(0, used);
    if (!ec && used == 0 && offset == stream.size()) break;
    if (ec == boost::beast::http::error::need_more) {
      ec = {};
      if (offset == stream.size()) break;  // the client stopped sending
      continue;
    }
    if (ec) break;
  }
  if (ec || !parser.is_done()) {
    // The server answers 400/413/431 with whatever headers were read.
    if (parser.is_header_done()) {
      (void)cortado::gateway::ToHttpRequest(parser.get());
    }
    return 0;
  }
  cortado::gateway::BeastRequest message = parser.release();
  HttpRequest request = cortado::gateway::ToHttpRequest(message);
  request.body = std::move(message.body());
  RunPipeline(std::move(request));
  return 0;
}
