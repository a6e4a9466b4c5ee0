#pragma once
// CORS as browsers check it: preflight answers and the headers of ordinary answers.

#include <string>
#include <string_view>
#include <vector>

#include "reply.hpp"

namespace pmkpi::server {

class CorsPolicy {
 public:
  /** `origins`: "*" alone, or exact normalised origins (see normalize_origin). */
  explicit CorsPolicy(std::vector<std::string> origins);

  bool allows_any() const { return any_; }
  bool allows(std::string_view origin) const;

  /** A preflight is an OPTIONS request carrying Origin and Access-Control-Request-Method. */
  static bool is_preflight(std::string_view method, std::string_view origin, std::string_view requested_method);

  /**
   * Answers a preflight: 204 with the allowed origin, methods and headers, or 400 without any
   * CORS header for a disallowed origin, method or malformed header list.
   */
  Reply preflight(std::string_view origin, std::string_view requested_method, std::string_view requested_headers) const;

  /** Adds Access-Control-Allow-Origin (and Vary) to an ordinary answer when `origin` is allowed. */
  void decorate(Reply& reply, std::string_view origin) const;

 private:
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace pmkpi::server
