#include "client/coffee/order_handler.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client/coffee/log.h"
#include "client/coffee/order.h"

namespace cortado::coffee {

absl::Status OrderHandler::Handle(const client::Message& message) {
  absl::StatusOr<Order> order = ParseOrder(message.message_id, message.body);
  if (!order.ok()) {
    rejected_.fetch_add(1);
    // Always logged, even with per-order lines off: it needs a human.
    Log(absl::StrCat(
        "rejected message ", message.message_id, " (receive ",
        message.receive_count(), "): ", order.status().message(), "; body \"",
        absl::Utf8SafeCHexEscape(message.body.substr(0, 200)), "\""));
    return order.status();
  }
  absl::StatusOr<WriteResult> written = writer_->Write(*order);
  if (!written.ok()) {
    Log(absl::StrCat(
        "order ", message.message_id,
        " not stored, left in the queue: ", written.status().message()));
    return written.status();
  }
  if (log_orders_) {
    if (written->row_id.has_value()) {
      Log(absl::StrCat("order ", message.message_id, ": ", order->coffee_type,
                       " at ", order->timestamp, " -> coffee_orders.id ",
                       *written->row_id));
    } else {
      Log(absl::StrCat("order ", message.message_id, ": ", order->coffee_type,
                       " at ", order->timestamp,
                       " already stored (redelivery), no new row"));
    }
  }
  return absl::OkStatus();
}

}  // namespace cortado::coffee
