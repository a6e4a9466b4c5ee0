#include "json_parse.hpp"

#include "pmkpi/catalog.hpp"

#ifdef PMKPI_HAVE_SIMDJSON
#include <simdjson.h>
#endif

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pmkpi::detail {

std::size_t structure_problem(std::string_view text, int max_depth, std::size_t max_members, std::string& reason) {
  // At nesting level d (1-based): whether the container open there is an object, and how many
  // members it has had. The depth may go below zero on unbalanced text, as the old scan allowed.
  std::vector<std::size_t> members;
  std::vector<char> is_object;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        reason = "nesting deeper than " + std::to_string(max_depth) + " levels";
        return i;
      }
      if (depth > 0) {
        const auto level = static_cast<std::size_t>(depth);
        members.resize(level);
        is_object.resize(level);
        members[level - 1] = 0;
        is_object[level - 1] = c == '{';
      }
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ':' && depth > 0 && is_object[static_cast<std::size_t>(depth) - 1] &&
               ++members[static_cast<std::size_t>(depth) - 1] > max_members) {
      reason = "an object with more than " + std::to_string(max_members) + " members";
      return i;
    }
  }
  return std::string_view::npos;
}

namespace {

using object_t = Json::object_t;
using string_t = Json::string_t;

#ifdef PMKPI_HAVE_SIMDJSON
// simdjson's DOM needs about 14 bytes per byte of text while it parses: bodies above this size are
// read by nlohmann's parser alone (about 3 bytes per byte). The parser kept by each thread holds
// this much text.
constexpr std::size_t kFastParseLimit = std::size_t{16} << 20;
constexpr std::size_t kKeptParserCapacity = std::size_t{256} << 10;
#endif

// Below this many members a linear search is faster than hashing; above it, an index.
constexpr std::size_t kIndexFrom = 16;

/**
 * What nlohmann's json_sax_dom_parser does, with key lookups through a hash index. Given a route's
 * fields, it builds only what the route reads: the top-level members those fields name, whole, and
 * the first kEchoValues values of the document, depth first (what a 422's echo of the body shows).
 * Every other value is still read and checked, then dropped, so a wide or long body costs its
 * lexing and not a node, a key and an allocation per value.
 */
class LinearDomBuilder {
 public:
  LinearDomBuilder(Json& root, const std::vector<FieldSpec>* keep) : root_(root), keep_(keep) {
    if (keep_ != nullptr) mode_ = Mode::Echo;
  }

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(Json::number_integer_t v) { return value(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return value(v); }
  bool number_float(Json::number_float_t v, const string_t&) { return value(v); }
  bool string(string_t& v) { return value(std::move(v)); }
  bool binary(Json::binary_t& v) { return value(Json::binary(std::move(v))); }

  bool start_object(std::size_t) { return start(Json::object()); }
  bool start_array(std::size_t) { return start(Json::array()); }
  bool end_object() { return end(); }
  bool end_array() { return end(); }

  bool key(string_t& k) {
    if (skip_depth_ > 0) return true;
    Frame& f = stack_.back();
    // The vector under ordered_map (which hides its operator[]): members in insertion order.
    auto& members = static_cast<object_t::Container&>(f.node->get_ref<object_t&>());
    const std::hash<std::string_view> hash;
    if (f.index == nullptr && members.size() >= kIndexFrom) {
      f.index = std::make_unique<Index>();
      for (std::size_t i = 0; i < members.size(); ++i) f.index->emplace(hash(members[i].first), i);
    }
    const std::size_t h = f.index ? hash(k) : 0;
    const std::size_t at = find(f, members, k, h);
    // A member of the body itself: a field of the route, or a key kept already (the last value of
    // a repeated key wins), is built whole; any other only while the echo's budget lasts.
    if (keep_ != nullptr && stack_.size() == 1) mode_ = at < members.size() || declared(k) ? Mode::Whole : Mode::Echo;
    if (at == members.size()) {
      if (mode_ == Mode::Echo && budget_ == 0) {
        skip_next_ = true;
        return true;
      }
      if (f.index) f.index->emplace(h, at);
      members.emplace_back(std::move(k), nullptr);
    }
    element_ = &members[at].second;
    return true;
  }

  /** Inside a value being dropped: a source may skip to its end (events there are ignored). */
  bool skipping() const { return skip_depth_ > 0; }

  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    throw ex;  // as Json::parse does, so callers see the same exceptions
  }

 private:
  using Index = std::unordered_multimap<std::size_t, std::size_t>;  // key hash -> member position
  struct Frame {
    Json* node;
    std::unique_ptr<Index> index;  // only for large objects
  };
  enum class Mode { Whole, Echo };

  /** The position of key `k` among `members` (of hash `h` when indexed); members.size() if absent. */
  static std::size_t find(const Frame& f, const object_t::Container& members, const string_t& k, std::size_t h) {
    if (f.index) {
      // By hash, then by key: no copy of the key is kept (the members' strings move as they grow).
      for (auto [it, end] = f.index->equal_range(h); it != end; ++it)
        if (members[it->second].first == k) return it->second;
      return members.size();
    }
    for (std::size_t i = 0; i < members.size(); ++i)
      if (members[i].first == k) return i;
    return members.size();
  }

  bool declared(const string_t& k) const {
    for (const auto& field : *keep_)
      if (field.name == k) return true;
    return false;
  }

  /** Whether the value about to be read is built; every value spends one of the echo's budget. */
  bool admit() {
    if (skip_next_) {
      skip_next_ = false;
      return false;
    }
    if (budget_ == 0) return mode_ == Mode::Whole;
    --budget_;
    return true;
  }

  /** Puts `v` where the next value goes: the root, the end of the open array, or the last key. */
  Json* place(Json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json& top = *stack_.back().node;
    if (top.is_array()) {
      auto& items = top.get_ref<Json::array_t&>();
      items.push_back(std::move(v));
      return &items.back();
    }
    *element_ = std::move(v);
    return element_;
  }

  bool value(Json&& v) {
    if (skip_depth_ == 0 && admit()) place(std::move(v));
    return true;
  }

  bool start(Json&& container) {
    if (skip_depth_ > 0 || !admit())
      ++skip_depth_;  // read to its end and dropped
    else
      stack_.push_back({place(std::move(container)), nullptr});
    return true;
  }

  bool end() {
    if (skip_depth_ > 0)
      --skip_depth_;
    else
      stack_.pop_back();
    return true;
  }

  Json& root_;
  const std::vector<FieldSpec>* keep_;  // null: build everything
  std::vector<Frame> stack_;
  Json* element_ = nullptr;
  Mode mode_ = Mode::Whole;
  std::size_t budget_ = kEchoValues;  // values an echo of the body would still show
  std::size_t skip_depth_ = 0;        // inside a dropped container: its nesting
  bool skip_next_ = false;            // a dropped member's key was read: drop its value
};

#ifdef PMKPI_HAVE_SIMDJSON
/**
 * Feeds a document simdjson has parsed (and fully validated) to the builder, as nlohmann's SAX
 * parser would: non-negative integers as unsigned, as nlohmann reads them; a dropped container is
 * not walked.
 */
void walk(simdjson::dom::element e, LinearDomBuilder& b) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY:
      b.start_array(0);
      if (!b.skipping()) {
        const simdjson::dom::array items = e.get_array().value_unsafe();
        for (simdjson::dom::element item : items) walk(item, b);
      }
      b.end_array();
      return;
    case element_type::OBJECT:
      b.start_object(0);
      if (!b.skipping()) {
        const simdjson::dom::object members = e.get_object().value_unsafe();
        for (simdjson::dom::key_value_pair m : members) {
          string_t k(m.key);
          b.key(k);
          walk(m.value, b);
        }
      }
      b.end_object();
      return;
    case element_type::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      if (v >= 0)
        b.number_unsigned(static_cast<Json::number_unsigned_t>(v));
      else
        b.number_integer(v);
      return;
    }
    case element_type::UINT64:
      b.number_unsigned(e.get_uint64().value_unsafe());
      return;
    case element_type::DOUBLE:
      b.number_float(e.get_double().value_unsafe(), string_t());
      return;
    case element_type::STRING: {
      string_t v(e.get_string().value_unsafe());
      b.string(v);
      return;
    }
    case element_type::BOOL:
      b.boolean(e.get_bool().value_unsafe());
      return;
    case element_type::NULL_VALUE:
      b.null();
      return;
  }
}

/**
 * simdjson's parse of `text`, false when it refuses the text (then nlohmann's parser reads it and
 * throws its own error, so an error's position and words do not depend on the build). A parser
 * sized for small bodies is kept per thread; a large body gets one of its own, freed after it.
 */
bool parse_fast(std::string_view text, LinearDomBuilder& builder) {
  if (text.size() > kFastParseLimit) return false;
  thread_local simdjson::dom::parser small(kKeptParserCapacity);
  std::optional<simdjson::dom::parser> large;
  simdjson::dom::parser* parser = &small;
  if (text.size() > kKeptParserCapacity) parser = &large.emplace(text.size());
  simdjson::dom::element root;
  if (parser->parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return false;
  walk(root, builder);
  return true;
}
#endif

}  // namespace

Json parse_linear(std::string_view text, const std::vector<FieldSpec>* keep) {
  Json root;
  LinearDomBuilder builder(root, keep);
#ifdef PMKPI_HAVE_SIMDJSON
  // simdjson validates the whole text before the builder sees any of it: a refused text left the
  // builder untouched for nlohmann's parser.
  if (parse_fast(text, builder)) return root;
#endif
  Json::sax_parse(text.begin(), text.end(), &builder);
  return root;
}

namespace {

Json echo(const Json& v, std::size_t& budget) {
  --budget;
  if (v.is_string()) {
    const auto& text = v.get_ref<const string_t&>();
    if (text.size() <= kEchoString) return v;
    std::size_t cut = kEchoString;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    return text.substr(0, cut) + "...";
  }
  if (v.is_array()) {
    Json out = Json::array();
    for (const auto& item : v) {
      if (budget == 0) break;
      out.push_back(echo(item, budget));
    }
    return out;
  }
  if (v.is_object()) {
    Json out = Json::object();
    auto& members = static_cast<object_t::Container&>(out.get_ref<object_t&>());
    for (const auto& [k, item] : v.items()) {
      if (budget == 0) break;
      members.emplace_back(k, echo(item, budget));  // keys of a parsed object are already unique
    }
    return out;
  }
  return v;
}

}  // namespace

Json echoed_input(const Json& v) {
  std::size_t budget = kEchoValues;
  return echo(v, budget);
}

}  // namespace pmkpi::detail
