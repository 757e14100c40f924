#pragma once
// Rule conditions (nodes of the rule graph, definitions inlined) turned into the
// propositional form of formula.hpp.
//
// Exact where the domains are finite or can be made so: booleans, enumerations and
// table rows (every value, grouped when no condition tells them apart), presence of
// optional values, membership and emptiness of sets (elements grouped into regions
// that no condition tells apart: a set is exactly which regions it touches),
// comparisons of a number, a date or a text with constants (the constants cut the
// domain into finitely many intervals). Everything else (two fields compared, a
// calculation, `nombre(…)`, texts ordered, another decision's value) becomes an
// inexact variable: what depends on it is only "possible".
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/analysis/formula.hpp"
#include "compiler/graph/rule_graph.hpp"

namespace tamis::analysis {

class Abstraction {
 public:
  explicit Abstraction(const graph::RuleGraph& graph);

  // Every condition first: this collects the constants each value is compared with…
  void add(graph::NodeId condition);
  // … then variables and formulas are built. add() may not be called afterwards.
  void finish();

  FormulaId formula(graph::NodeId condition) const;
  Problem& problem() { return problem_; }
  const Problem& problem() const { return problem_; }

  // An example record for a solver assignment, in the words of the rules:
  // `etat = "En instruction", maturite non renseigné, leviers vide`. Inexact
  // assumptions come last: `« maitre_ouvrage = intitule » vrai`.
  std::string describe(const std::vector<std::int32_t>& assignment) const;

 private:
  struct Step {
    enum class Kind : std::uint8_t { Member, ToDecimal, Default };
    Kind kind = Kind::ToDecimal;
    std::uint32_t column = 0;  // Member
    graph::Value value;        // Default: the replacement
    graph::Type type;          // the type after this step
  };
  enum class Pred : std::uint8_t {
    Compare,     // op constant
    In,          // member of a constant set
    NotIn,       //
    Has,         // a set value has the constant
    IsEmpty,     // a set value is empty
    IsNotEmpty,  //
    IsSet,       // present
    IsNotSet,    //
    IsTrue,      // a boolean that holds
  };
  // A test of one scalar value of the record (a field, or another decision's value)
  // through a few steps (`.colonne`, `par défaut`, integer to decimal).
  struct Test {
    std::uint32_t subject = 0;
    std::vector<Step> steps;
    Pred pred = Pred::IsTrue;
    graph::Op op = graph::Op::Eq;
    graph::Value constant;
    graph::Base constant_base = graph::Base::Error;
    graph::NodeId node = graph::kNoNode;
    FormulaId formula = Problem::kFalse;  // set by finish()
    VarId degraded_var = 0;
  };
  struct Term {
    std::uint32_t subject = 0;
    std::vector<Step> steps;
    graph::Type type;  // after the steps
  };
  struct Subject {
    bool decision = false;
    std::uint32_t index = 0;  // field or decision
    graph::Type type;
    std::vector<std::uint32_t> tests;
    std::vector<std::pair<graph::Value, graph::Base>> points;
    // finish()
    bool has_var = false;
    bool degraded = false;  // too many classes: every test became an inexact variable
    VarId var = 0;
    std::vector<graph::Value> representatives;  // per class; !present: missing
  };
  // A set-valued field: its elements grouped into regions no condition tells apart.
  struct SetSubject {
    std::uint32_t field = 0;
    graph::Type type;
    std::size_t universe = 0;
    std::vector<std::vector<bool>> predicates;  // elements the predicate holds for
    // finish()
    std::vector<std::uint32_t> region_element;  // representative element of each region
    std::vector<VarId> region_var;
    std::vector<std::vector<std::uint32_t>> predicate_regions;
  };
  // Propositional form before the domains are known.
  struct Pre {
    enum class Kind : std::uint8_t { True, False, Not, And, Or, Test, SetHit, Opaque };
    Kind kind = Kind::True;
    std::uint32_t a = 0;  // Test: test; SetHit: set subject; Opaque: opaque index
    std::uint32_t b = 0;  // SetHit: predicate
    std::vector<std::uint32_t> operands;
  };
  // A condition the analysis does not look into, identified by its structure (the same
  // comparison written in two rules is one variable; `a ≠ b` is the negation of `a = b`).
  struct Opaque {
    graph::NodeId node = graph::kNoNode;  // where it is first written, for examples
    bool negated = false;                 // that node is the negation of the variable
    VarId var = 0;
  };

  graph::NodeId resolve(graph::NodeId n) const;
  bool constant(graph::NodeId n, graph::Value& value, graph::Type& type) const;
  bool term(graph::NodeId n, Term& out);
  std::uint32_t subject(bool decision, std::uint32_t index, const graph::Type& type);
  bool set_source(graph::NodeId n, std::uint32_t& set, std::uint32_t& column, bool& whole);
  std::uint32_t predicate(std::uint32_t set, std::vector<bool> elements);
  std::vector<bool> member_predicate(std::uint32_t set, std::uint32_t column, bool whole,
                                     const graph::Value* item) const;

  std::uint32_t lower(graph::NodeId n);
  std::uint32_t lower_uncached(graph::NodeId n);
  std::uint32_t add_pre(Pre p);
  std::uint32_t test(Term t, Pred pred, graph::Op op, graph::Value constant,
                     graph::Base constant_base, graph::NodeId node);
  std::uint32_t opaque(graph::NodeId n);
  std::uint32_t opaque_keyed(std::string key, graph::NodeId n, bool negated);
  bool structure(graph::NodeId n, std::string& out) const;

  bool evaluate(const Test& t, const graph::Value& v) const;
  void build_subject(Subject& s);
  void build_set(SetSubject& s);
  FormulaId build(std::uint32_t pre);

  std::string value_text(const graph::Type& type, const graph::Value& v) const;
  std::string source_text(graph::NodeId n) const;

  const graph::RuleGraph& graph_;
  Problem problem_;
  std::vector<Pre> pre_;
  std::vector<Test> tests_;
  std::vector<Subject> subjects_;
  std::vector<SetSubject> sets_;
  std::vector<Opaque> opaques_;
  std::unordered_map<graph::NodeId, std::uint32_t> lowered_;     // node → pre
  std::unordered_map<std::string, std::uint32_t> opaque_of_;     // structure → opaque
  std::unordered_map<std::uint64_t, std::uint32_t> subject_of_;  // (decision, index) → subject
  std::unordered_map<std::uint32_t, std::uint32_t> set_of_;      // field → set subject
  std::vector<FormulaId> built_;                                 // pre → formula
  std::unordered_map<graph::NodeId, FormulaId> roots_;
  std::vector<graph::NodeId> conditions_;
  std::deque<std::string> storage_;  // texts made up for candidates
  std::uint32_t depth_ = 0;          // of lower()
  bool finished_ = false;
};

}  // namespace tamis::analysis
