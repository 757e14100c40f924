#include "compiler/analysis/solver.hpp"

#include <algorithm>

namespace tamis::analysis {

Solver::Solver(const Problem& problem) : problem_(problem), evaluator_(problem) {}

// The variables `root` depends on, in order of first appearance (depth first): the
// order guards come before what they guard, which prunes early.
std::vector<VarId> Solver::variables_of(FormulaId root) {
  if (seen_formula_.size() < problem_.formula_count()) {
    seen_formula_.resize(problem_.formula_count(), 0);
  }
  if (seen_variable_.size() < problem_.variable_count()) {
    seen_variable_.resize(problem_.variable_count(), 0);
  }
  if (++epoch_ == 0) {
    std::fill(seen_formula_.begin(), seen_formula_.end(), 0);
    std::fill(seen_variable_.begin(), seen_variable_.end(), 0);
    epoch_ = 1;
  }
  std::vector<VarId> out;
  std::vector<FormulaId> stack{root};
  while (!stack.empty()) {
    const FormulaId f = stack.back();
    stack.pop_back();
    if (seen_formula_[f] == epoch_) continue;
    seen_formula_[f] = epoch_;
    const Formula& g = problem_.formula(f);
    if (g.kind == Kind::In) {
      if (seen_variable_[g.var] != epoch_) {
        seen_variable_[g.var] = epoch_;
        out.push_back(g.var);
      }
      continue;
    }
    if (g.kind == Kind::True || g.kind == Kind::False) continue;
    for (std::uint32_t i = g.count; i > 0; --i) stack.push_back(problem_.operand(g, i - 1));
  }
  return out;
}

Solver::Search Solver::dfs(FormulaId root, const std::vector<VarId>& order, std::size_t depth,
                           std::uint64_t limit) {
  if (evaluator_.work() > limit) return Search::OutOfBudget;
  const Truth t = evaluator_.evaluate(root, assignment_);
  if (t == Truth::True) return Search::Found;
  if (t == Truth::False || depth == order.size()) return Search::Exhausted;
  const VarId v = order[depth];
  const auto size = static_cast<std::int32_t>(problem_.variable(v).size);
  for (std::int32_t c = 0; c < size; ++c) {
    assignment_[v] = c;
    const Search s = dfs(root, order, depth + 1, limit);
    if (s != Search::Exhausted) return s;  // keep the assignment of a solution
  }
  assignment_[v] = kUnassigned;
  return Search::Exhausted;
}

Solution Solver::solve(FormulaId formula, Budget& budget) {
  Solution out;
  if (budget.exhausted()) return out;
  if (assignment_.size() < problem_.variable_count()) {
    assignment_.resize(problem_.variable_count(), kUnassigned);
  }
  const std::uint64_t start = evaluator_.work();
  const std::vector<VarId> all = variables_of(formula);
  std::vector<VarId> exact;
  for (VarId v : all) {
    if (problem_.variable(v).exact) exact.push_back(v);
  }
  const std::uint64_t limit = start + std::min(budget.per_query, budget.total);
  auto finish = [&](Answer answer, bool keep) {
    out.answer = answer;
    if (keep) {
      out.assignment.assign(problem_.variable_count(), kUnassigned);
      for (VarId v : all) out.assignment[v] = assignment_[v];
    }
    for (VarId v : all) assignment_[v] = kUnassigned;
    // Work is the formula nodes evaluated, plus the variables gathered.
    const std::uint64_t spent = evaluator_.work() - start + all.size();
    budget.total -= std::min(budget.total, spent);
    return out;
  };

  // First pass: exact variables only; a formula surely true with the inexact ones
  // unknown holds for a real record.
  Search s = dfs(formula, exact, 0, limit);
  if (s == Search::Found) return finish(Answer::Sat, true);
  if (s == Search::OutOfBudget) return finish(Answer::Unknown, false);
  if (exact.size() == all.size()) return finish(Answer::Unsat, false);
  // Second pass: inexact variables as free choices. No solution even so: certainly none.
  s = dfs(formula, all, 0, limit);
  if (s == Search::Found) return finish(Answer::MaybeSat, true);
  return finish(s == Search::Exhausted ? Answer::Unsat : Answer::Unknown, false);
}

Solution solve(const Problem& problem, FormulaId formula, Budget& budget) {
  return Solver(problem).solve(formula, budget);
}

}  // namespace tamis::analysis
