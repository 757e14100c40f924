#include "compiler/analysis/values.hpp"

#include <algorithm>
#include <limits>

#include "support/decimal.hpp"
#include "support/text.hpp"

namespace tamis::analysis {

using graph::Base;
using graph::Op;
using graph::Value;

namespace {

// An integer or a decimal as a decimal in millionths, for ordering candidates; an
// integer beyond the decimal range is clamped to its end, still above (or below) every
// decimal constant.
std::int64_t as_millionths(const Value& v, Base base) {
  return base == Base::Decimal ? v.decimal : decimal::from_integer_clamped(v.integer);
}

int order(const Value& a, Base ab, const Value& b, Base bb) {
  if (ab == Base::Integer && bb == Base::Integer)
    return (a.integer > b.integer) - (a.integer < b.integer);
  if ((ab == Base::Integer || ab == Base::Decimal) &&
      (bb == Base::Integer || bb == Base::Decimal)) {
    const auto number = [](const Value& v, Base base) {
      return base == Base::Integer ? decimal::Number{v.integer, true}
                                   : decimal::Number{v.decimal, false};
    };
    return decimal::compare(number(a, ab), number(b, bb));
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

std::int64_t saturating_add(std::int64_t x, std::int64_t delta) {
  std::int64_t r = 0;
  if (!__builtin_add_overflow(x, delta, &r)) return r;
  return delta < 0 ? std::numeric_limits<std::int64_t>::min()
                   : std::numeric_limits<std::int64_t>::max();
}

// Integers around the decimal d (millionths): d - 1, d, d + 1 for a point that is an
// integer; floor - 1 … ceil + 1 for one that is not. The decimal range keeps them far
// from the int64 range ends.
void integers_around(std::int64_t d, std::vector<std::int64_t>& out) {
  std::int64_t lo = d / decimal::kScale;  // toward zero
  if (d % decimal::kScale < 0) --lo;
  const std::int64_t hi = d % decimal::kScale == 0 ? lo : lo + 1;
  for (std::int64_t v = lo - 1; v <= hi + 1; ++v) out.push_back(v);
}

}  // namespace

bool compare(const Value& a, Base ab, const Value& b, Base bb, Op op) {
  if (!a.present || !b.present) return false;
  const int c = order(a, ab, b, bb);
  switch (op) {
    case Op::Eq:
      return c == 0;
    case Op::Ne:
      return c != 0;
    case Op::Lt:
      return c < 0;
    case Op::Le:
      return c <= 0;
    case Op::Gt:
      return c > 0;
    default:
      return c >= 0;
  }
}

bool readable_text(std::string_view s) {
  return !s.empty() && text::trim(s).size() == s.size();
}

std::vector<Value> candidates(const graph::RuleGraph& graph, const graph::Type& type,
                              const std::vector<std::pair<Value, Base>>& points,
                              std::deque<std::string>& storage) {
  std::vector<Value> out;
  switch (type.base) {
    case Base::Boolean:
      out.push_back(Value::of_bool(false));
      out.push_back(Value::of_bool(true));
      break;
    case Base::Enum:
    case Base::Row: {
      const std::size_t n = type.base == Base::Enum ? graph.enums[type.ref].values.size()
                                                    : graph.tables[type.ref].rows.size();
      for (std::size_t i = 0; i < n; ++i)
        out.push_back(Value::of_id(static_cast<std::uint32_t>(i)));
      break;
    }
    case Base::Integer: {
      std::vector<std::int64_t> values;
      for (const auto& [v, base] : points) {
        if (base == Base::Integer) {
          const std::int64_t p = v.integer;
          values.push_back(p);
          if (p > std::numeric_limits<std::int64_t>::min()) values.push_back(p - 1);
          if (p < std::numeric_limits<std::int64_t>::max()) values.push_back(p + 1);
        } else if (base == Base::Decimal) {
          integers_around(v.decimal, values);
        }
      }
      if (values.empty()) values.push_back(0);
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      for (auto v : values) out.push_back(Value::of_integer(v));
      break;
    }
    case Base::Decimal: {
      // Each point, one value between two neighbours (when the millionths leave room)
      // and one beyond each end: every interval the points cut the line into.
      std::vector<std::int64_t> xs;
      for (const auto& [v, base] : points) {
        if (base == Base::Integer || base == Base::Decimal) xs.push_back(as_millionths(v, base));
      }
      std::sort(xs.begin(), xs.end());
      xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
      if (xs.empty()) {
        out.push_back(Value::of_decimal(0));
        break;
      }
      const std::int64_t below = saturating_add(xs.front(), -decimal::kScale);
      if (below < xs.front()) out.push_back(Value::of_decimal(below));
      for (std::size_t i = 0; i < xs.size(); ++i) {
        out.push_back(Value::of_decimal(xs[i]));
        if (i + 1 < xs.size()) {
          // Through unsigned: the gap between two int64 may not fit an int64.
          const std::uint64_t gap =
              static_cast<std::uint64_t>(xs[i + 1]) - static_cast<std::uint64_t>(xs[i]);
          const auto middle =
              static_cast<std::int64_t>(static_cast<std::uint64_t>(xs[i]) + gap / 2);
          if (middle > xs[i]) out.push_back(Value::of_decimal(middle));
        } else {
          const std::int64_t above = saturating_add(xs[i], decimal::kScale);
          if (above > xs[i]) out.push_back(Value::of_decimal(above));
        }
      }
      break;
    }
    case Base::Date: {
      std::vector<std::int32_t> days;
      for (const auto& [v, base] : points) {
        if (base != Base::Date) continue;
        days.push_back(v.date - 1);
        days.push_back(v.date);
        days.push_back(v.date + 1);
      }
      if (days.empty()) days.push_back(text::days_from_civil(2025, 1, 1));
      std::sort(days.begin(), days.end());
      days.erase(std::unique(days.begin(), days.end()), days.end());
      for (auto d : days) out.push_back(Value::of_date(d));
      break;
    }
    case Base::Text: {
      std::vector<std::string_view> texts;
      for (const auto& [v, base] : points) {
        if (base == Base::Text && readable_text(v.as_text())) texts.push_back(v.as_text());
      }
      std::sort(texts.begin(), texts.end());
      texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
      for (auto t : texts) out.push_back(Value::of_text(t));
      // A text equal to none of them.
      std::string other = "texte";
      while (std::binary_search(texts.begin(), texts.end(), std::string_view(other))) other += "+";
      storage.push_back(std::move(other));
      out.push_back(Value::of_text(storage.back()));
      break;
    }
    case Base::Error:
      break;
  }
  return out;
}

}  // namespace tamis::analysis
