#pragma once
// Small helpers shared by the unit tests: compile an inline rule set, find
// diagnostics by code, find definitions and fields by name, build records.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/compile.hpp"
#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/record.hpp"
#include "support/decimal.hpp"
#include "support/diagnostics.hpp"

namespace tamis::testing {

// Every diagnostic rendered as the CLI would print it, for failure messages.
inline std::string render_all(const Compilation& c) {
  std::string out;
  for (const auto& d : c.diagnostics.all()) out += render(d, *c.sources);
  return out;
}

// Compiles one in-memory rule file.
inline Compilation compile(const std::string& text) {
  return compile_sources({{"test.tamis", text}});
}

// A decimal written as in a rule ("2.5", "-0.3"), as a value; throws when malformed.
inline graph::Value decimal_of(std::string_view text) {
  const auto d = decimal::parse(text, decimal::Excess::Reject);
  if (!d) throw std::invalid_argument("not a decimal: " + std::string(text));
  return graph::Value::of_decimal(*d);
}

// A decimal value as the result files write it.
inline std::string decimal_text(const graph::Value& v) {
  return decimal::format(v.decimal);
}

inline std::size_t count_code(const DiagnosticSink& sink, std::string_view code) {
  return static_cast<std::size_t>(std::count_if(
      sink.all().begin(), sink.all().end(), [&](const Diagnostic& d) { return d.code == code; }));
}

inline bool has_code(const DiagnosticSink& sink, std::string_view code) {
  return count_code(sink, code) > 0;
}

// The first diagnostic with `code`; throws when there is none (so a test fails, not crashes).
inline const Diagnostic& find_code(const DiagnosticSink& sink, std::string_view code) {
  for (const auto& d : sink.all()) {
    if (d.code == code) return d;
  }
  throw std::runtime_error("no diagnostic " + std::string(code));
}

inline std::size_t count_errors(const DiagnosticSink& sink) {
  return sink.error_count();
}

inline std::uint32_t field_index(const graph::RuleGraph& g, std::string_view name) {
  for (std::uint32_t i = 0; i < g.schema.fields.size(); ++i) {
    if (g.schema.fields[i].name == name) return i;
  }
  throw std::runtime_error("no field " + std::string(name));
}

inline std::uint32_t let_index(const graph::RuleGraph& g, std::string_view name) {
  for (std::uint32_t i = 0; i < g.lets.size(); ++i) {
    if (g.lets[i].name == name) return i;
  }
  throw std::runtime_error("no let " + std::string(name));
}

inline std::uint32_t decision_index(const graph::RuleGraph& g, std::string_view name) {
  for (std::uint32_t i = 0; i < g.decisions.size(); ++i) {
    if (g.decisions[i].name == name) return i;
  }
  throw std::runtime_error("no decision " + std::string(name));
}

inline graph::NodeId output_node(const graph::RuleGraph& g, std::string_view name) {
  for (const auto& o : g.outputs) {
    if (o.name == name) return o.node;
  }
  throw std::runtime_error("no output column " + std::string(name));
}

inline std::uint32_t enum_index(const graph::RuleGraph& g, std::string_view name) {
  for (std::uint32_t i = 0; i < g.enums.size(); ++i) {
    if (g.enums[i].name == name) return i;
  }
  throw std::runtime_error("no enum " + std::string(name));
}

inline std::uint32_t enum_value(const graph::RuleGraph& g, std::string_view enum_name,
                                std::string_view value) {
  const auto& e = g.enums[enum_index(g, enum_name)];
  for (std::uint32_t i = 0; i < e.values.size(); ++i) {
    if (e.values[i].name == value) return i;
  }
  throw std::runtime_error("no enum value " + std::string(value));
}

inline std::uint32_t table_index(const graph::RuleGraph& g, std::string_view name) {
  for (std::uint32_t i = 0; i < g.tables.size(); ++i) {
    if (g.tables[i].name == name) return i;
  }
  throw std::runtime_error("no table " + std::string(name));
}

inline std::uint32_t row_index(const graph::RuleGraph& g, std::string_view table,
                               std::string_view key) {
  const auto& t = g.tables[table_index(g, table)];
  for (std::uint32_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i].key == key) return i;
  }
  throw std::runtime_error("no row " + std::string(key));
}

// A record with every field missing except the given ones.
inline runtime::Record record_of(
    const graph::RuleGraph& g,
    std::initializer_list<std::pair<std::string_view, graph::Value>> values) {
  runtime::Record r(g.schema.fields.size());
  for (const auto& [name, value] : values) r.fields[field_index(g, name)] = value;
  return r;
}

// Members of a bitset value, as indices.
inline std::vector<std::uint32_t> bits_of(const graph::Value& v) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < v.size * 64; ++i) {
    if (v.has_bit(i)) out.push_back(i);
  }
  return out;
}

// Members of a text-set value.
inline std::vector<std::string> texts_of(const graph::Value& v) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < v.size; ++i) out.emplace_back(v.texts[i]);
  return out;
}

}  // namespace tamis::testing

// Compiles `text` and requires that it has no error, printing the diagnostics otherwise.
#define TAMIS_COMPILE_OK(var, text)                                 \
  const ::tamis::Compilation var = ::tamis::testing::compile(text); \
  INFO(::tamis::testing::render_all(var));                          \
  REQUIRE_FALSE(var.diagnostics.has_errors())
