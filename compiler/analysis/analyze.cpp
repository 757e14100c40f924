#include "compiler/analysis/analyze.hpp"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "compiler/analysis/abstraction.hpp"
#include "compiler/analysis/solver.hpp"
#include "compiler/analysis/tables.hpp"
#include "support/lang.hpp"

namespace tamis::analysis {

namespace {

std::string quoted(const std::string& name) {
  return tr("« {} »", "'{}'", name);
}

// « A », « B » et « C »
std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> q;
  for (const auto& n : names) q.push_back(quoted(n));
  if (q.size() == 1) return q.front();
  const std::string last = q.back();
  q.pop_back();
  return tr("{} et {}", "{} and {}", fmt::format("{}", fmt::join(q, ", ")), last);
}

class DecisionAnalysis {
 public:
  DecisionAnalysis(const graph::RuleGraph& graph, const graph::Decision& decision,
                   DiagnosticSink& sink, Budget& budget)
      : d_(decision), sink_(sink), budget_(budget), abstraction_(graph) {}

  // More than this many overlaps in one decision are not all reported: the first ones
  // say enough, and the rest would flood the terminal.
  static constexpr std::size_t kMaxOverlaps = 20;

  void run() {
    for (const auto& r : d_.rules) abstraction_.add(r.condition);
    abstraction_.finish();
    solver_ = std::make_unique<Solver>(abstraction_.problem());
    for (const auto& r : d_.rules) condition_.push_back(abstraction_.formula(r.condition));
    dead_.assign(d_.rules.size(), false);

    never_true();
    if (d_.policy == graph::HitPolicy::First) covered();
    if (d_.policy == graph::HitPolicy::Unique) overlaps();
    if (!d_.fallback) gaps();
  }

 private:
  Problem& problem() { return abstraction_.problem(); }

  Solution solve(FormulaId f) { return solver_->solve(f, budget_); }

  std::string example(const Solution& s) const {
    std::string text = abstraction_.describe(s.assignment);
    return text.empty() ? tr("n'importe quel dossier", "any record") : text;
  }

  // W0602: a condition that holds for no record at all.
  void never_true() {
    for (std::size_t i = 0; i < d_.rules.size(); ++i) {
      if (solve(condition_[i]).answer != Answer::Unsat) continue;
      dead_[i] = true;
      sink_.warning("W0602", d_.rules[i].range,
                    tr("la condition de la règle {} n'est vraie pour aucun dossier : la règle ne "
                       "s'applique jamais",
                       "the condition of the rule {} holds for no record: the rule never applies",
                       quoted(d_.rules[i].name)),
                    tr("ses conditions se contredisent : vérifiez les valeurs et les comparaisons",
                       "its conditions contradict each other: check the values and comparisons"));
    }
  }

  // W0601 (`première`): every record a rule would retain is retained by earlier rules.
  void covered() {
    for (std::size_t i = 0; i < d_.rules.size(); ++i) {
      if (dead_[i]) continue;
      std::vector<std::size_t> earlier;
      for (std::size_t j = 0; j < i; ++j) {
        if (!dead_[j]) earlier.push_back(j);
      }
      if (earlier.empty() || !covers(i, earlier)) continue;
      // Keep only the earlier rules that meet this one, then drop those not needed.
      std::vector<std::size_t> cover;
      for (std::size_t j : earlier) {
        if (solve(problem().all_of({condition_[i], condition_[j]})).answer != Answer::Unsat) {
          cover.push_back(j);
        }
      }
      for (std::size_t k = 0; k < cover.size();) {
        std::vector<std::size_t> without = cover;
        without.erase(without.begin() + static_cast<std::ptrdiff_t>(k));
        if (!without.empty() && covers(i, without)) {
          cover = std::move(without);
        } else {
          ++k;
        }
      }
      if (!covers(i, cover)) continue;  // (budget) never claim more than was proved
      report_covered(i, cover);
    }
  }

  // Whether `rules` retain every record rule i retains (proved; false when unsure).
  bool covers(std::size_t i, const std::vector<std::size_t>& rules) {
    std::vector<FormulaId> parts{condition_[i]};
    for (std::size_t j : rules) parts.push_back(problem().negate(condition_[j]));
    return solve(problem().all_of(parts)).answer == Answer::Unsat;
  }

  void report_covered(std::size_t i, const std::vector<std::size_t>& cover) {
    std::vector<std::string> names;
    for (std::size_t j : cover) names.push_back(d_.rules[j].name);
    Diagnostic diag{
        Severity::Warning,
        "W0601",
        d_.rules[i].range,
        cover.size() == 1
            ? tr("la règle {} ne s'applique jamais : tout dossier qu'elle retiendrait est déjà "
                 "retenu par la règle {}, placée avant elle",
                 "the rule {} never applies: every record it would retain is already retained "
                 "by the rule {}, placed before it",
                 quoted(d_.rules[i].name), quoted_list(names))
            : tr("la règle {} ne s'applique jamais : tout dossier qu'elle retiendrait est déjà "
                 "retenu par les règles {}, placées avant elle",
                 "the rule {} never applies: every record it would retain is already retained "
                 "by the rules {}, placed before it",
                 quoted(d_.rules[i].name), quoted_list(names)),
        tr("retirez-la, ou placez-la avant les règles qui la couvrent si elle doit l'emporter",
           "remove it, or move it before the rules that cover it if it must win"),
        {}};
    for (std::size_t j : cover) {
      diag.notes.push_back(
          {d_.rules[j].range,
           tr("{} s'applique avant elle", "{} applies before it", quoted(d_.rules[j].name))});
    }
    sink_.report(std::move(diag));
  }

  // E0603 / W0604 (`unique`): two rules that apply (or may apply) to the same record.
  void overlaps() {
    std::size_t reported = 0;
    for (std::size_t j = 0; j < d_.rules.size(); ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (dead_[i] || dead_[j] || budget_.exhausted() || reported >= kMaxOverlaps) continue;
        const Solution s = solve(problem().all_of({condition_[i], condition_[j]}));
        if (s.answer != Answer::Sat && s.answer != Answer::MaybeSat) continue;
        const bool sure = s.answer == Answer::Sat;
        const std::string a = quoted(d_.rules[i].name);
        const std::string b = quoted(d_.rules[j].name);
        Diagnostic diag{
            sure ? Severity::Error : Severity::Warning,
            sure ? "E0603" : "W0604",
            d_.rules[j].range,
            sure ? tr("les règles {} et {} s'appliquent toutes deux à certains dossiers alors que "
                      "la décision {} est unique, par exemple pour {}",
                      "the rules {} and {} both apply to some records although the decision {} "
                      "is unique, for example with {}",
                      a, b, quoted(d_.name), example(s))
                 : tr("les règles {} et {} de la décision unique {} peuvent se chevaucher, par "
                      "exemple pour {}",
                      "the rules {} and {} of the unique decision {} may overlap, for example "
                      "with {}",
                      a, b, quoted(d_.name), example(s)),
            sure ? tr("rendez leurs conditions exclusives, ou employez « première » si l'ordre "
                      "des règles doit les départager",
                      "make their conditions exclusive, or use 'first' if the order of the rules "
                      "must decide")
                 : tr("Tamis ne sait pas vérifier exactement ces conditions (textes comparés entre "
                      "eux, calculs, autre décision…) : si ce cas ne peut pas se produire, ignorez "
                      "cet avertissement",
                      "Tamis cannot check these conditions exactly (texts compared with each "
                      "other, arithmetic, another decision…): if this case cannot happen, ignore "
                      "this warning"),
            {}};
        diag.notes.push_back(
            {d_.rules[i].range, tr("la règle {} est ici", "the rule {} is here", a)});
        sink_.report(std::move(diag));
        ++reported;
      }
    }
  }

  // W0605 (no `sinon`): records no rule retains.
  void gaps() {
    std::vector<FormulaId> none;
    for (FormulaId c : condition_) none.push_back(problem().negate(c));
    const Solution s = solve(problem().all_of(none));
    if (s.answer != Answer::Sat && s.answer != Answer::MaybeSat) return;
    const bool collect = d_.policy == graph::HitPolicy::Collect;
    sink_.warning(
        "W0605", d_.range,
        s.answer == Answer::Sat
            ? tr("aucune règle de la décision {} ne s'applique à certains dossiers, par exemple "
                 "pour {}",
                 "no rule of the decision {} applies to some records, for example with {}",
                 quoted(d_.name), example(s))
            : tr("certains dossiers peuvent n'être retenus par aucune règle de la décision {}, "
                 "par exemple pour {}",
                 "some records may be retained by no rule of the decision {}, for example with "
                 "{}",
                 quoted(d_.name), example(s)),
        collect ? tr("sans « sinon », leur résultat est l'ensemble vide : ajoutez « sinon … » "
                     "s'ils doivent recevoir une valeur",
                     "without 'otherwise' their result is the empty set: add 'otherwise …' if "
                     "they must get a value")
                : tr("ajoutez « sinon <valeur> » à la fin de la décision",
                     "add 'otherwise <value>' at the end of the decision"));
  }

  const graph::Decision& d_;
  DiagnosticSink& sink_;
  Budget& budget_;
  Abstraction abstraction_;
  std::unique_ptr<Solver> solver_;
  std::vector<FormulaId> condition_;
  std::vector<bool> dead_;
};

}  // namespace

void analyze(const graph::RuleGraph& graph, DiagnosticSink& sink, const Limits& limits) {
  check_table_labels(graph, sink);
  Budget budget{limits.work_per_query, limits.work_total};
  for (const auto& decision : graph.decisions) {
    if (decision.rules.empty() || decision.rules.size() > limits.max_rules) continue;
    if (budget.exhausted()) break;
    DecisionAnalysis(graph, decision, sink, budget).run();
  }
}

}  // namespace tamis::analysis
