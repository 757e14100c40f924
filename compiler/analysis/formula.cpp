#include "compiler/analysis/formula.hpp"

#include <algorithm>

namespace tamis::analysis {

namespace {

// The words of a mask over `size` classes, bits beyond the domain cleared.
void trim(std::vector<ClassMask>& mask, std::uint32_t size) {
  const std::size_t words = (size + 63) / 64;
  mask.resize(words, 0);
  if (size % 64 != 0) mask.back() &= (ClassMask{1} << (size % 64)) - 1;
}

bool none(const std::vector<ClassMask>& mask) {
  for (ClassMask w : mask) {
    if (w != 0) return false;
  }
  return true;
}

bool all(const std::vector<ClassMask>& mask, std::uint32_t size) {
  std::vector<ClassMask> full(mask.size(), ~ClassMask{0});
  trim(full, size);
  return mask == full;
}

}  // namespace

Problem::Problem() {
  formulas_.push_back({Kind::True, 0, 0, 0});
  formulas_.push_back({Kind::False, 0, 0, 0});
}

VarId Problem::add_variable(std::uint32_t size, bool exact) {
  variables_.push_back({std::clamp<std::uint32_t>(size, 1, kMaxClasses), exact});
  return static_cast<VarId>(variables_.size() - 1);
}

FormulaId Problem::intern(Formula f, const std::uint32_t* items, std::size_t count) {
  std::string key;
  key.reserve(8 + count * 4);
  auto put = [&](std::uint32_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(static_cast<std::uint32_t>(f.kind));
  put(f.var);
  for (std::size_t i = 0; i < count; ++i) put(items[i]);
  auto [it, fresh] = interned_.emplace(std::move(key), static_cast<FormulaId>(formulas_.size()));
  if (!fresh) return it->second;
  if (f.kind == Kind::In) {  // the items are the mask words, in halves
    f.first = static_cast<std::uint32_t>(words_.size());
    f.count = static_cast<std::uint32_t>(count / 2);
    for (std::size_t i = 0; i + 1 < count; i += 2) {
      words_.push_back(static_cast<ClassMask>(items[i]) |
                       (static_cast<ClassMask>(items[i + 1]) << 32));
    }
  } else {
    f.first = static_cast<std::uint32_t>(operands_.size());
    f.count = static_cast<std::uint32_t>(count);
    operands_.insert(operands_.end(), items, items + count);
  }
  formulas_.push_back(f);
  return it->second;
}

FormulaId Problem::add(Formula f, const std::vector<FormulaId>& operands) {
  return intern(f, operands.data(), operands.size());
}

FormulaId Problem::in(VarId var, std::vector<ClassMask> mask) {
  const std::uint32_t size = variables_[var].size;
  trim(mask, size);
  if (none(mask)) return kFalse;
  if (all(mask, size)) return kTrue;
  std::vector<std::uint32_t> halves;
  halves.reserve(mask.size() * 2);
  for (ClassMask w : mask) {
    halves.push_back(static_cast<std::uint32_t>(w));
    halves.push_back(static_cast<std::uint32_t>(w >> 32));
  }
  return intern({Kind::In, var, 0, 0}, halves.data(), halves.size());
}

FormulaId Problem::negate(FormulaId f) {
  if (f == kTrue) return kFalse;
  if (f == kFalse) return kTrue;
  const Formula& g = formulas_[f];
  if (g.kind == Kind::Not) return operands_[g.first];
  if (g.kind == Kind::In) {
    std::vector<ClassMask> complement = mask(g);
    for (auto& w : complement) w = ~w;
    return in(g.var, std::move(complement));
  }
  return add({Kind::Not, 0, 0, 0}, {f});
}

FormulaId Problem::junction(Kind kind, const std::vector<FormulaId>& operands) {
  const FormulaId unit = kind == Kind::And ? kTrue : kFalse;  // neutral element
  const FormulaId zero = kind == Kind::And ? kFalse : kTrue;  // absorbing element
  std::vector<FormulaId> flat;
  flat.reserve(operands.size());
  for (FormulaId f : operands) {
    if (f == zero) return zero;
    if (f == unit) continue;
    if (formulas_[f].kind == kind) {  // flatten nested junctions of the same kind
      for (std::uint32_t i = 0; i < formulas_[f].count; ++i) {
        flat.push_back(operands_[formulas_[f].first + i]);
      }
      continue;
    }
    flat.push_back(f);
  }
  // Atoms on one variable merge: x ∈ A and x ∈ B is x ∈ A ∩ B; with or, A ∪ B.
  std::vector<FormulaId> kept;
  std::vector<std::pair<VarId, std::vector<ClassMask>>> atoms;
  for (FormulaId f : flat) {
    const Formula& g = formulas_[f];
    if (g.kind != Kind::In) {
      kept.push_back(f);
      continue;
    }
    auto it =
        std::find_if(atoms.begin(), atoms.end(), [&](const auto& a) { return a.first == g.var; });
    if (it == atoms.end()) {
      atoms.emplace_back(g.var, mask(g));
      continue;
    }
    const auto other = mask(g);
    for (std::size_t w = 0; w < it->second.size(); ++w) {
      it->second[w] = kind == Kind::And ? it->second[w] & other[w] : it->second[w] | other[w];
    }
  }
  for (auto& [var, m] : atoms) {
    const FormulaId a = in(var, std::move(m));
    if (a == zero) return zero;
    if (a != unit) kept.push_back(a);
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  if (kept.empty()) return unit;
  if (kept.size() == 1) return kept.front();
  return add({kind, 0, 0, 0}, kept);
}

FormulaId Problem::all_of(const std::vector<FormulaId>& operands) {
  return junction(Kind::And, operands);
}

FormulaId Problem::any_of(const std::vector<FormulaId>& operands) {
  return junction(Kind::Or, operands);
}

Evaluator::Evaluator(const Problem& problem)
    : problem_(problem),
      stamp_(problem.formula_count(), 0),
      memo_(problem.formula_count(), Truth::Unknown) {}

Truth Evaluator::evaluate(FormulaId f, const std::vector<std::int32_t>& assignment) {
  if (stamp_.size() < problem_.formula_count()) {
    stamp_.resize(problem_.formula_count(), 0);
    memo_.resize(problem_.formula_count(), Truth::Unknown);
  }
  if (++epoch_ == 0) {  // wrapped: forget every stamp
    std::fill(stamp_.begin(), stamp_.end(), 0);
    epoch_ = 1;
  }
  return eval(f, assignment);
}

Truth Evaluator::eval(FormulaId f, const std::vector<std::int32_t>& assignment) {
  if (stamp_[f] == epoch_) return memo_[f];
  ++work_;
  const Formula& g = problem_.formula(f);
  Truth result = Truth::Unknown;
  switch (g.kind) {
    case Kind::True:
      result = Truth::True;
      break;
    case Kind::False:
      result = Truth::False;
      break;
    case Kind::In: {
      const std::int32_t c = assignment[g.var];
      if (c != kUnassigned) {
        result = problem_.holds(g, static_cast<std::uint32_t>(c)) ? Truth::True : Truth::False;
      }
      break;
    }
    case Kind::Not: {
      const Truth t = eval(problem_.operand(g, 0), assignment);
      result = t == Truth::Unknown ? t : (t == Truth::True ? Truth::False : Truth::True);
      break;
    }
    case Kind::And:
    case Kind::Or: {
      const Truth zero = g.kind == Kind::And ? Truth::False : Truth::True;
      const Truth unit = g.kind == Kind::And ? Truth::True : Truth::False;
      result = unit;
      for (std::uint32_t i = 0; i < g.count; ++i) {
        const Truth t = eval(problem_.operand(g, i), assignment);
        if (t == zero) {
          result = zero;
          break;
        }
        if (t == Truth::Unknown) result = Truth::Unknown;
      }
      break;
    }
  }
  stamp_[f] = epoch_;
  memo_[f] = result;
  return result;
}

}  // namespace tamis::analysis
