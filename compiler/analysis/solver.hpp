#pragma once
// Satisfiability of a formula over finite domains, by depth-first search with
// three-valued pruning, under a work budget so that no rule set makes `tamis check`
// slow: when the budget runs out the answer is Unknown, and the caller claims nothing.
#include <cstdint>
#include <vector>

#include "compiler/analysis/formula.hpp"

namespace tamis::analysis {

enum class Answer : std::uint8_t {
  Unsat,     // no record satisfies the formula (certain, even with inexact variables)
  Sat,       // some record does: `assignment` fixes exact variables only, and the formula
             // holds whatever the unassigned and inexact variables are
  MaybeSat,  // it holds only for some values of inexact variables: possible, not certain
  Unknown,   // the budget ran out
};

struct Solution {
  Answer answer = Answer::Unknown;
  std::vector<std::int32_t> assignment;  // class per variable, kUnassigned when irrelevant
};

// Work is counted in formula nodes evaluated. `per_query` bounds one call; `total`
// is shared by all calls of one analysis and decreases.
struct Budget {
  std::uint64_t per_query = 200'000;
  std::uint64_t total = 2'000'000;
  bool exhausted() const { return total == 0; }
};

// Answers queries on one problem; keeps its work arrays from one query to the next so
// that a query costs what its formula costs, not what the whole problem does.
class Solver {
 public:
  explicit Solver(const Problem& problem);
  Solution solve(FormulaId formula, Budget& budget);

 private:
  enum class Search : std::uint8_t { Found, Exhausted, OutOfBudget };
  Search dfs(FormulaId root, const std::vector<VarId>& order, std::size_t depth,
             std::uint64_t limit);
  std::vector<VarId> variables_of(FormulaId root);

  const Problem& problem_;
  Evaluator evaluator_;
  std::vector<std::int32_t> assignment_;
  std::vector<std::uint32_t> seen_formula_;
  std::vector<std::uint32_t> seen_variable_;
  std::uint32_t epoch_ = 0;
};

// One query with a fresh solver (tests, single questions).
Solution solve(const Problem& problem, FormulaId formula, Budget& budget);

}  // namespace tamis::analysis
