// What a request may cost, derived from the catalog: its body limit and whether it is heavy.
#include <algorithm>

#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"

namespace pmkpi {

RequestCost request_cost(std::string_view method, std::string_view target, std::size_t large_body) {
  RequestCost cost;
  cost.max_body = std::min(kSmallBodyLimit, large_body);
  if (method != "POST") return cost;
  const RouteSpec* route = find_route(target.substr(0, target.find_first_of("?#")));
  if (route == nullptr) return cost;
  const bool lists = std::any_of(route->fields.begin(), route->fields.end(), [](const FieldSpec& f) {
    return f.type == FieldType::NumberList || f.type == FieldType::StringList || f.type == FieldType::NumberListMap;
  });
  if (lists) {
    cost.max_body = large_body;
    cost.heavy = true;
  }
  return cost;
}

}  // namespace pmkpi
