#pragma once
// The answer the server sends, before any HTTP library sees it.

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pmkpi::server {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 200;
  Headers headers;                            // lower-case names
  std::string body;                           // owned body, or
  std::shared_ptr<const std::string> shared;  // a body cached by the server (docs assets)
  bool close = false;                         // close the connection after answering
  std::string request_id;                     // the X-Request-ID it answers (for the access log)

  std::string_view body_view() const { return shared ? std::string_view(*shared) : std::string_view(body); }
  const std::string* header(std::string_view name) const;
};

/** {"detail": "..."} with the status, as the core shapes its errors. */
Reply error_reply(int status, std::string_view detail);

/** 405 with the Allow header listing the methods the resource answers ("GET, HEAD"). */
Reply method_not_allowed(std::string_view allow);

/** IMF-fixdate, as the Date header wants it: "Sun, 06 Nov 1994 08:49:37 GMT". */
std::string http_date(std::time_t t);

/** `s` as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD. */
std::string json_quote(std::string_view s);

/** Case-insensitive ASCII comparison. */
bool iequals(std::string_view a, std::string_view b);

}  // namespace pmkpi::server
