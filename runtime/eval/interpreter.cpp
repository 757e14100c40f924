#include "runtime/eval/interpreter.hpp"

#include <fmt/format.h>
#include <bit>
#include <iterator>

#include "support/text.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Value;

Interpreter::Interpreter(const graph::RuleGraph& graph)
    : graph_(graph),
      let_values_(graph.lets.size()),
      let_epoch_(graph.lets.size(), 0),
      decision_values_(graph.decisions.size()),
      decision_epoch_(graph.decisions.size(), 0) {}

void Interpreter::load(const Record& record) {
  record_ = &record;
  ++epoch_;
  words_.reset();
  texts_.reset();
  error_.clear();
}

void Interpreter::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

Value Interpreter::evaluate(NodeId node) {
  return eval(node);
}

const DecisionOutcome& Interpreter::decide(std::uint32_t index) {
  DecisionOutcome& out = decision_values_[index];
  if (decision_epoch_[index] == epoch_) return out;
  decision_epoch_[index] = epoch_;
  out = {};
  const graph::Decision& d = graph_.decisions[index];
  switch (d.policy) {
    case graph::HitPolicy::First:
      for (std::size_t i = 0; i < d.rules.size(); ++i) {
        if (condition(d.rules[i].condition)) {
          out.value = eval(d.rules[i].result);
          out.rule = static_cast<std::int32_t>(i);
          return out;
        }
      }
      break;
    case graph::HitPolicy::Unique:
      for (std::size_t i = 0; i < d.rules.size(); ++i) {
        if (!condition(d.rules[i].condition)) continue;
        if (out.rule >= 0) {
          out.conflicting_rule = static_cast<std::int32_t>(i);
          fail(fmt::format(
              "les règles « {} » et « {} » s'appliquent toutes deux alors que la "
              "décision « {} » est unique",
              d.rules[static_cast<std::size_t>(out.rule)].name, d.rules[i].name, d.name));
          return out;
        }
        out.value = eval(d.rules[i].result);
        out.rule = static_cast<std::int32_t>(i);
      }
      if (out.rule >= 0) return out;
      break;
    case graph::HitPolicy::Collect: {
      const graph::Type element = d.type.element();
      const std::size_t universe = element.base == Base::Enum
                                       ? graph_.enums[element.ref].values.size()
                                       : graph_.tables[element.ref].rows.size();
      const std::uint32_t count = graph::words_for(universe);
      std::uint64_t* words = words_.allocate(count);
      for (std::size_t i = 0; i < d.rules.size(); ++i) {
        if (!condition(d.rules[i].condition)) continue;
        const std::uint32_t id = eval(d.rules[i].result).id;
        words[id / 64] |= std::uint64_t{1} << (id % 64);
        if (out.rule < 0) out.rule = static_cast<std::int32_t>(i);
      }
      if (out.rule >= 0 || !d.fallback) {
        out.value = Value::of_words(words, count);
        return out;
      }
      const std::uint32_t id = eval(d.fallback->result).id;
      words[id / 64] |= std::uint64_t{1} << (id % 64);
      out.value = Value::of_words(words, count);
      out.rule = kFallbackRule;
      return out;
    }
  }
  if (d.fallback) {
    out.value = eval(d.fallback->result);
    out.rule = kFallbackRule;
  }
  return out;
}

namespace {

double as_double(const Value& v, Base base) {
  return base == Base::Decimal ? v.decimal : static_cast<double>(v.integer);
}

}  // namespace

int compare_values(const Value& a, Base ab, const Value& b, Base bb) {
  if (ab == Base::Integer && bb == Base::Integer)
    return (a.integer > b.integer) - (a.integer < b.integer);
  if ((ab == Base::Integer || ab == Base::Decimal) &&
      (bb == Base::Integer || bb == Base::Decimal)) {
    const double x = as_double(a, ab);
    const double y = as_double(b, bb);
    return (x > y) - (x < y);
  }
  switch (ab) {
    case Base::Date:
      return (a.date > b.date) - (a.date < b.date);
    case Base::Text: {
      const int c = a.as_text().compare(b.as_text());
      return (c > 0) - (c < 0);
    }
    case Base::Boolean:
      return (a.boolean > b.boolean) - (a.boolean < b.boolean);
    default:
      return (a.id > b.id) - (a.id < b.id);
  }
}

Value Interpreter::compare(const graph::Node& n) {
  const Value a = eval(n.a);
  const Value b = eval(n.b);
  // A missing value equals nothing (the checker only lets `=` see one).
  if (!a.present || !b.present) return Value::of_bool(false);
  const int c = compare_values(a, graph_.nodes[n.a].type.base, b, graph_.nodes[n.b].type.base);
  switch (n.op) {
    case Op::Eq:
      return Value::of_bool(c == 0);
    case Op::Ne:
      return Value::of_bool(c != 0);
    case Op::Lt:
      return Value::of_bool(c < 0);
    case Op::Le:
      return Value::of_bool(c <= 0);
    case Op::Gt:
      return Value::of_bool(c > 0);
    default:
      return Value::of_bool(c >= 0);
  }
}

Value Interpreter::arithmetic(const graph::Node& n) {
  const Value a = eval(n.a);
  const Value b = eval(n.b);
  const Base ab = graph_.nodes[n.a].type.base;
  const Base bb = graph_.nodes[n.b].type.base;
  if (n.type.base == Base::Integer) {
    std::int64_t r = 0;
    bool overflow = false;
    switch (n.op) {
      case Op::Add:
        overflow = __builtin_add_overflow(a.integer, b.integer, &r);
        break;
      case Op::Sub:
        overflow = __builtin_sub_overflow(a.integer, b.integer, &r);
        break;
      default:
        overflow = __builtin_mul_overflow(a.integer, b.integer, &r);
        break;
    }
    if (overflow) {
      fail("dépassement de capacité dans un calcul entier");
      return Value::missing();
    }
    return Value::of_integer(r);
  }
  const double x = as_double(a, ab);
  const double y = as_double(b, bb);
  switch (n.op) {
    case Op::Add:
      return Value::of_decimal(x + y);
    case Op::Sub:
      return Value::of_decimal(x - y);
    case Op::Mul:
      return Value::of_decimal(x * y);
    default:
      if (y == 0) {
        fail("division par zéro");
        return Value::missing();
      }
      return Value::of_decimal(x / y);
  }
}

Value Interpreter::set_of(const graph::Node& n) {
  const graph::Type element = n.type.element();
  const std::size_t universe = element.base == Base::Enum ? graph_.enums[element.ref].values.size()
                                                          : graph_.tables[element.ref].rows.size();
  const std::uint32_t count = graph::words_for(universe);
  std::uint64_t* words = words_.allocate(count);
  for (std::uint32_t i = 0; i < n.arg_count; ++i) {
    const std::uint32_t id = eval(graph_.args[n.first_arg + i]).id;
    words[id / 64] |= std::uint64_t{1} << (id % 64);
  }
  return Value::of_words(words, count);
}

Value Interpreter::member_of_set(const graph::Node& n) {
  const Value rows = eval(n.a);
  const graph::Table& table = graph_.tables[graph_.nodes[n.a].type.ref];
  const graph::Type column = table.columns[n.b].type;
  // The rows of the set, by scanning its bits (a dossier names a few of many rows).
  auto for_each_row = [&](auto&& f) {
    for (std::uint32_t w = 0; w < rows.size; ++w) {
      for (std::uint64_t bits = rows.words[w]; bits != 0; bits &= bits - 1) {
        const auto r =
            static_cast<std::uint32_t>(w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits)));
        if (r < table.rows.size()) f(r);
      }
    }
  };
  if (column.base == Base::Text) {
    // Distinct texts in row order.
    std::uint32_t found = 0;
    std::string_view* out = texts_.allocate(table.rows.size());
    for_each_row([&](std::uint32_t r) {
      const Value& cell = table.rows[r].cells[n.b];
      if (!cell.present) return;
      bool seen = false;
      for (std::uint32_t k = 0; k < found && !seen; ++k) seen = out[k] == cell.as_text();
      if (!seen) out[found++] = cell.as_text();
    });
    return Value::of_texts(out, found);
  }
  const std::uint32_t count = graph::words_for(graph_.enums[column.ref].values.size());
  std::uint64_t* words = words_.allocate(count);
  for_each_row([&](std::uint32_t r) {
    const Value& cell = table.rows[r].cells[n.b];
    if (!cell.present) return;
    if (column.set) {
      for (std::uint32_t w = 0; w < cell.size && w < count; ++w) words[w] |= cell.words[w];
    } else {
      words[cell.id / 64] |= std::uint64_t{1} << (cell.id % 64);
    }
  });
  return Value::of_words(words, count);
}

Value Interpreter::eval(NodeId id) {
  const graph::Node& n = graph_.nodes[id];
  switch (n.op) {
    case Op::Const:
      return graph_.constants[n.a];
    case Op::Field:
      return record_->fields[n.a];
    case Op::Let:
      if (let_epoch_[n.a] != epoch_) {
        let_values_[n.a] = eval(graph_.lets[n.a].root);
        let_epoch_[n.a] = epoch_;
      }
      return let_values_[n.a];
    case Op::Decision:
      return decide(n.a).value;
    case Op::RuleName: {
      const auto& outcome = decide(n.a);
      const auto& d = graph_.decisions[n.a];
      if (outcome.rule >= 0)
        return Value::of_text(d.rules[static_cast<std::size_t>(outcome.rule)].name);
      if (outcome.rule == kFallbackRule && d.fallback) return Value::of_text(d.fallback->name);
      return Value::missing();
    }
    case Op::Unknowns: {
      const auto& labels = record_->unknown_labels[n.a];
      return Value::of_texts(labels.data(), static_cast<std::uint32_t>(labels.size()));
    }
    case Op::Label: {
      const Value v = eval(n.a);
      if (!v.present) return v;
      const graph::Type t = graph_.nodes[n.a].type;
      if (t.base == Base::Enum) return Value::of_text(graph_.enums[t.ref].values[v.id].label);
      return Value::of_text(graph_.tables[t.ref].rows[v.id].key);
    }
    case Op::Count: {
      const Value v = eval(n.a);
      if (graph_.nodes[n.a].type.base == Base::Text) return Value::of_integer(v.size);
      std::int64_t c = 0;
      for (std::uint32_t w = 0; w < v.size; ++w) c += std::popcount(v.words[w]);
      return Value::of_integer(c);
    }
    case Op::Not:
      return Value::of_bool(!condition(n.a));
    case Op::Negate: {
      const Value v = eval(n.a);
      if (n.type.base == Base::Decimal) return Value::of_decimal(-v.decimal);
      if (v.integer == INT64_MIN) {
        fail("dépassement de capacité dans un calcul entier");
        return Value::missing();
      }
      return Value::of_integer(-v.integer);
    }
    case Op::IsSet:
      return Value::of_bool(eval(n.a).present);
    case Op::IsNotSet:
      return Value::of_bool(!eval(n.a).present);
    case Op::IsEmpty:
    case Op::IsNotEmpty: {
      const Value v = eval(n.a);
      bool empty = true;
      if (graph_.nodes[n.a].type.base == Base::Text) {
        empty = v.size == 0;
      } else {
        for (std::uint32_t w = 0; w < v.size && empty; ++w) empty = v.words[w] == 0;
      }
      return Value::of_bool(n.op == Op::IsEmpty ? empty : !empty);
    }
    case Op::And:
      for (std::uint32_t i = 0; i < n.arg_count; ++i) {
        if (!condition(graph_.args[n.first_arg + i])) return Value::of_bool(false);
      }
      return Value::of_bool(true);
    case Op::Or:
      for (std::uint32_t i = 0; i < n.arg_count; ++i) {
        if (condition(graph_.args[n.first_arg + i])) return Value::of_bool(true);
      }
      return Value::of_bool(false);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      return compare(n);
    case Op::In:
    case Op::NotIn: {
      const Value item = eval(n.a);
      const Value set = eval(n.b);
      const bool in = item.present && set.has_bit(item.id);
      return Value::of_bool(n.op == Op::In ? in : !in);
    }
    case Op::Contains: {
      const Value set = eval(n.a);
      const Value item = eval(n.b);
      if (!item.present) return Value::of_bool(false);
      if (graph_.nodes[n.a].type.base == Base::Text) {  // a set of texts is a list of views
        for (std::uint32_t i = 0; i < set.size; ++i) {
          if (set.texts[i] == item.as_text()) return Value::of_bool(true);
        }
        return Value::of_bool(false);
      }
      return Value::of_bool(set.has_bit(item.id));
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
      return arithmetic(n);
    case Op::Default: {
      const Value v = eval(n.a);
      const Value chosen = v.present ? v : eval(n.b);
      const Base from = v.present ? graph_.nodes[n.a].type.base : graph_.nodes[n.b].type.base;
      if (n.type.base == Base::Decimal && from == Base::Integer) {
        return Value::of_decimal(static_cast<double>(chosen.integer));
      }
      return chosen;
    }
    case Op::ToDecimal: {
      const Value v = eval(n.a);
      return v.present ? Value::of_decimal(static_cast<double>(v.integer)) : v;
    }
    case Op::SetOf:
      return set_of(n);
    case Op::Member: {
      const Value row = eval(n.a);
      return graph_.tables[graph_.nodes[n.a].type.ref].rows[row.id].cells[n.b];
    }
    case Op::MemberOfSet:
      return member_of_set(n);
  }
  return Value::missing();
}

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
      fmt::format_to(std::back_inserter(out), "{}", v.decimal);
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
