#pragma once
// The propositional form of rule conditions over finite domains. Each variable
// takes one of a few classes (values that no condition tells apart: "maturite in
// {avant_projet, travaux}", "date_demarrage <= 2025-12-31", "absent"); a condition is
// a formula of atoms "variable ∈ set of classes" joined by and / or / not. Evaluation
// is three-valued (Kleene): with some variables unassigned a formula may already be
// surely true or surely false, which is what the solver prunes on.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tamis::analysis {

using VarId = std::uint32_t;
using FormulaId = std::uint32_t;
using ClassMask = std::uint64_t;  // one word of a set of classes: bit c, class c

// At most this many classes per variable.
inline constexpr std::uint32_t kMaxClasses = 4096;
inline constexpr std::int32_t kUnassigned = -1;

// Exact variables stand for what a record really holds: any class of any exact
// variable is realisable, independently of the others (one column each). Inexact
// ones stand for what the analysis does not model (a text compared with another
// field, arithmetic, another decision's value): a case that needs a value of one of
// them is only possible, not certain.
struct Variable {
  std::uint32_t size = 2;
  bool exact = true;
};

enum class Kind : std::uint8_t { True, False, In, Not, And, Or };

struct Formula {
  Kind kind = Kind::True;
  VarId var = 0;            // In
  std::uint32_t first = 0;  // In: mask words in Problem::words (the classes for which the
                            // atom holds); Not / And / Or: operands in Problem::operands
  std::uint32_t count = 0;
};

enum class Truth : std::uint8_t { False, True, Unknown };

class Problem {
 public:
  Problem();

  VarId add_variable(std::uint32_t size, bool exact);
  const Variable& variable(VarId v) const { return variables_[v]; }
  std::size_t variable_count() const { return variables_.size(); }

  FormulaId truth(bool value) const { return value ? kTrue : kFalse; }
  // `var` takes one of the classes of `mask` (simplified to true / false when it says
  // nothing); word w of `mask` holds classes 64w … 64w + 63.
  FormulaId in(VarId var, std::vector<ClassMask> mask);
  FormulaId in(VarId var, ClassMask mask) { return in(var, std::vector<ClassMask>{mask}); }
  FormulaId negate(FormulaId f);
  FormulaId all_of(const std::vector<FormulaId>& operands);
  FormulaId any_of(const std::vector<FormulaId>& operands);

  const Formula& formula(FormulaId f) const { return formulas_[f]; }
  std::size_t formula_count() const { return formulas_.size(); }
  FormulaId operand(const Formula& f, std::uint32_t i) const { return operands_[f.first + i]; }
  // Whether class c is in the mask of an In formula.
  bool holds(const Formula& f, std::uint32_t c) const {
    return c / 64 < f.count && ((words_[f.first + c / 64] >> (c % 64)) & 1U) != 0;
  }
  std::vector<ClassMask> mask(const Formula& f) const {
    return {words_.begin() + f.first, words_.begin() + f.first + f.count};
  }

  static constexpr FormulaId kTrue = 0;
  static constexpr FormulaId kFalse = 1;

 private:
  FormulaId add(Formula f, const std::vector<FormulaId>& operands);
  FormulaId intern(Formula f, const std::uint32_t* items, std::size_t count);
  FormulaId junction(Kind kind, const std::vector<FormulaId>& operands);

  std::vector<Variable> variables_;
  std::vector<Formula> formulas_;
  std::vector<FormulaId> operands_;
  std::vector<ClassMask> words_;
  // Every formula is built once: equal formulas have equal ids (hash-consing).
  std::unordered_map<std::string, FormulaId> interned_;
};

// Three-valued evaluation of formulas under a partial assignment (class per variable,
// kUnassigned when not chosen yet). Shared sub-formulas are evaluated once per call.
class Evaluator {
 public:
  explicit Evaluator(const Problem& problem);
  Truth evaluate(FormulaId f, const std::vector<std::int32_t>& assignment);
  // Formula nodes visited so far: the unit of the analysis budget.
  std::uint64_t work() const { return work_; }

 private:
  Truth eval(FormulaId f, const std::vector<std::int32_t>& assignment);

  const Problem& problem_;
  std::vector<std::uint32_t> stamp_;
  std::vector<Truth> memo_;
  std::uint32_t epoch_ = 0;
  std::uint64_t work_ = 0;
};

}  // namespace tamis::analysis
