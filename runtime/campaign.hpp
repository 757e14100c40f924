#pragma once
// Classifies a whole campaign: reads the export, decodes each row, evaluates
// the rule graph, writes one result row per input row (in input order) and
// counts the summaries. Rows that cannot be read are reported, never dropped.
#include <cstdint>
#include <istream>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/graph/rule_graph.hpp"
#include "runtime/eval/interpreter.hpp"
#include "runtime/eval/record.hpp"
#include "runtime/explain/explain.hpp"
#include "runtime/report/summary.hpp"
#include "runtime/testing/test_runner.hpp"

namespace tamis::runtime {

struct RejectedRow {
  std::size_t line = 0;              // physical line in the file where the row starts
  std::size_t number = 0;            // data row number (header excluded)
  std::string id;                    // the row's first output column as written, if readable
  std::vector<std::string> reasons;  // one per problem, in the language of messages
  std::vector<std::string> fields;   // the row's cells as read, for the rejects file
};

// Classified dossiers whose cell of one set-of-rows field (labels of a table, such as
// levers) held labels that name no row: they are classified with the labels recognised,
// the others kept apart (`non_reconnus`), and counted here so that the run says so.
struct UnrecognisedLabels {
  std::string column;  // the field's column in the export
  std::string table;   // the table its labels are looked up in
  std::size_t dossiers = 0;
};

// Why a campaign file without a header line (empty, or only blank lines) cannot be read.
std::string empty_campaign_message();
// Why a campaign file with a header line and no row after it cannot be classified.
std::string no_data_row_message();

struct CampaignReport {
  std::size_t rows_read = 0;
  std::size_t rows_classified = 0;
  std::size_t rows_rejected = 0;
  std::vector<UnrecognisedLabels> unrecognised;  // one per set-of-rows field (the first 64)
  std::vector<RejectedRow> rejected;
  std::vector<SummaryTable> summaries;    // one per counted `synthèse`, in declaration order
  std::vector<std::string> fatal_errors;  // the file as a whole cannot be read
  std::vector<std::string> header;        // the campaign's header row
  char separator = ',';                   // the separator used (given or detected)
  // Worker threads the run wanted besides the calling one, and those that classified
  // rows: fewer when the system refused to start some (BatchPipeline keeps half of those
  // it got). Both 0 when the campaign was classified on the calling thread alone.
  std::size_t workers_wanted = 0;
  std::size_t workers_started = 0;
};

// `--trace`: one explanation per row (JSON lines, docs/explanation-schema.md), written
// by the workers with a shared, immutable writer and committed in input order.
struct TraceOptions {
  const ExplanationWriter* writer = nullptr;
  std::string campaign;  // the campaign's file name, in every explanation
  std::ostream* out = nullptr;
};

// The most threads a campaign is classified with (`--threads`); more are taken as this.
inline constexpr std::size_t kMaxThreads = 256;

struct CampaignOptions {
  char separator = 0;  // 0: detect ',' or ';' from the header line
  // Threads classifying batches of rows, the calling one included (it also reads and
  // writes, and starts threads - 1 others); 0: one per core; at most kMaxThreads.
  // Threads the system refuses to start are done without. Results are
  // written in input order and are byte-identical whatever the number. With an
  // observer, rows are classified one at a time on the calling thread (the
  // observer reads the evaluated state of each row).
  std::size_t threads = 0;
  // When set, counts for each rule and boolean definition the classified dossiers
  // that exercised it true and false (`tamis run --coverage`); initialised by the run.
  Coverage* coverage = nullptr;
  const TraceOptions* trace = nullptr;
  // The size of the campaign file in bytes, when known (0 otherwise): the table of
  // identifiers is sized once for the dossiers it should hold, estimated from it and
  // from the first rows, instead of growing step by step.
  std::uint64_t input_bytes = 0;
  // How many of the rule set's summaries to count, from the first (`tamis run` shows
  // only the first). The others are still evaluated where that can fail
  // (SummaryCounter::check), so that the rows an evaluation error rejects are the same
  // whatever is counted.
  std::size_t summaries = std::numeric_limits<std::size_t>::max();
};

// Sees every row as it is processed (tracing, audit store). Runs on the thread
// that reads the campaign, in input order. Nothing is called when none is given.
class CampaignObserver {
 public:
  virtual ~CampaignObserver() = default;
  // `interpreter` holds the record's evaluated state: explanations can query it.
  virtual void classified(std::size_t line, std::size_t number, const Record& record,
                          Interpreter& interpreter) = 0;
  virtual void rejected(const RejectedRow& row) = 0;
};

// Passes each event to several observers (trace file and audit store together).
class ObserverFanout : public CampaignObserver {
 public:
  void add(CampaignObserver* o) {
    if (o != nullptr) observers_.push_back(o);
  }
  bool empty() const { return observers_.empty(); }
  void classified(std::size_t line, std::size_t number, const Record& record,
                  Interpreter& interpreter) override {
    for (auto* o : observers_) o->classified(line, number, record, interpreter);
  }
  void rejected(const RejectedRow& row) override {
    for (auto* o : observers_) o->rejected(row);
  }

 private:
  std::vector<CampaignObserver*> observers_;
};

// `results` may be null (summary only). Column `rejet` is appended to the
// rule set's output columns; it holds the reasons of a rejected row.
CampaignReport run_campaign(const graph::RuleGraph& graph, std::istream& input,
                            std::ostream* results, CampaignObserver* observer = nullptr,
                            const CampaignOptions& options = {});

}  // namespace tamis::runtime
