#include "runtime/eval/value_format.hpp"

#include <fmt/format.h>
#include <bit>
#include <iterator>

#include "support/decimal.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::Value;

void append_value(std::string& out, const graph::RuleGraph& graph, const graph::Type& type,
                  const Value& v) {
  if (!v.present) return;
  if (type.set) {
    bool first = true;
    auto add = [&](std::string_view s) {
      if (!first) out += " | ";
      first = false;
      out += s;
    };
    if (type.base == Base::Text) {
      for (std::uint32_t i = 0; i < v.size; ++i) add(v.texts[i]);
      return;
    }
    // The members, by scanning the set bits (a dossier names a few of many rows).
    const bool is_enum = type.base == Base::Enum;
    const std::size_t universe =
        is_enum ? graph.enums[type.ref].values.size() : graph.tables[type.ref].rows.size();
    for (std::uint32_t w = 0; w < v.size; ++w) {
      for (std::uint64_t bits = v.words[w]; bits != 0; bits &= bits - 1) {
        const std::size_t i = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        if (i >= universe) break;
        add(is_enum ? std::string_view(graph.enums[type.ref].values[i].code)
                    : std::string_view(graph.tables[type.ref].rows[i].key));
      }
    }
    return;
  }
  switch (type.base) {
    case Base::Boolean:
      out += v.boolean ? "oui" : "non";
      return;
    case Base::Integer:
      fmt::format_to(std::back_inserter(out), "{}", v.integer);
      return;
    case Base::Decimal:
      decimal::append(out, v.decimal);
      return;
    case Base::Text:
      out += v.as_text();
      return;
    case Base::Date:
      out += text::format_date(v.date);
      return;
    case Base::Enum:
      out += graph.enums[type.ref].values[v.id].code;
      return;
    case Base::Row:
      out += graph.tables[type.ref].rows[v.id].key;
      return;
    case Base::Error:
      return;
  }
}

std::string format_value(const graph::RuleGraph& graph, const graph::Type& type, const Value& v) {
  std::string out;
  append_value(out, graph, type, v);
  return out;
}

}  // namespace tamis::runtime
