#include "runtime/campaign.hpp"

#include <fmt/format.h>
#include <unordered_set>

#include "runtime/eval/interpreter.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/io/record_decoder.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

namespace {

// Output columns that simply copy a schema field can still be shown for a rejected row.
std::string raw_output(const graph::RuleGraph& g, const io::RecordDecoder& decoder,
                       const io::CsvRecord& row, graph::NodeId node) {
  const auto& n = g.nodes[node];
  if (n.op != graph::Op::Field) return {};
  const std::size_t column = decoder.column_of(n.a);
  return column < row.fields.size() ? std::string(row.fields[column]) : std::string();
}

}  // namespace

CampaignReport run_campaign(const graph::RuleGraph& graph, std::istream& input,
                            std::ostream* results, CampaignObserver* observer,
                            const CampaignOptions& options) {
  CampaignReport report;
  io::CsvOptions csv_options;
  csv_options.separator = options.separator;
  io::CsvReader reader(input, csv_options);
  std::vector<std::string>& header = report.header;
  if (!reader.read_header(header)) {
    report.fatal_errors.push_back("fichier vide : aucune ligne d'en-tête");
    return report;
  }
  report.separator = reader.separator();
  if (const auto& e = reader.header_error()) {
    report.fatal_errors.push_back(fmt::format("ligne d'en-tête illisible : {}", e->message));
    return report;
  }
  io::RecordDecoder decoder(graph);
  report.fatal_errors = decoder.bind(header);
  if (!report.fatal_errors.empty()) return report;

  std::vector<SummaryCounter> counters;
  for (std::size_t s = 0; s < graph.summaries.size(); ++s) counters.emplace_back(graph, s);

  std::vector<std::string> out_row;
  if (results != nullptr) {
    for (const auto& o : graph.outputs) out_row.push_back(o.name);
    out_row.push_back("rejet");
    io::write_csv_row(*results, out_row);
  }

  // The first schema field identifies a dossier: it must be unique in a campaign.
  std::unordered_set<std::string> seen_ids;
  const std::size_t id_column = graph.schema.fields.empty() ? 0 : decoder.column_of(0);

  Interpreter interpreter(graph);
  Record record(graph.schema.fields.size());
  io::CsvRecord row;
  std::optional<io::CsvError> csv_error;
  std::vector<io::FieldError> field_errors;
  while (reader.next(row, csv_error)) {
    ++report.rows_read;
    field_errors.clear();
    std::vector<std::string> reasons;
    if (csv_error) {
      reasons.push_back(csv_error->message);
    } else if (!decoder.decode(row, record, field_errors)) {
      for (const auto& e : field_errors) {
        if (e.column.empty()) {
          reasons.push_back(e.reason);
        } else {
          reasons.push_back(
              fmt::format("colonne « {} », valeur « {} » : {}", e.column, e.value, e.reason));
        }
      }
    } else if (id_column < row.fields.size() &&
               !seen_ids.insert(std::string(text::trim(row.fields[id_column]))).second) {
      reasons.push_back(fmt::format("identifiant « {} » déjà présent plus haut dans le fichier",
                                    text::trim(row.fields[id_column])));
    } else {
      // Everything the row produces is computed before it counts as classified, so
      // that an evaluation error anywhere (a decision, an output, a summary axis)
      // rejects the row instead of leaving an empty cell.
      interpreter.load(record);
      for (std::uint32_t d = 0; d < graph.decisions.size(); ++d) interpreter.decide(d);
      out_row.clear();
      for (const auto& o : graph.outputs) {
        out_row.push_back(
            format_value(graph, graph.nodes[o.node].type, interpreter.evaluate(o.node)));
      }
      out_row.emplace_back();
      for (const auto& summary : graph.summaries) {
        for (auto node : {summary.rows, summary.columns, summary.condition}) {
          if (node != graph::kNoNode) interpreter.evaluate(node);
        }
      }
      if (!interpreter.error().empty()) reasons.push_back(interpreter.error());
    }

    if (!reasons.empty()) {
      ++report.rows_rejected;
      RejectedRow rejected{row.line, row.number, {}, reasons, {}};
      for (const auto& f : row.fields) rejected.fields.emplace_back(f);
      if (id_column < row.fields.size())
        rejected.id = std::string(text::trim(row.fields[id_column]));
      if (results != nullptr) {
        out_row.clear();
        for (const auto& o : graph.outputs)
          out_row.push_back(raw_output(graph, decoder, row, o.node));
        out_row.push_back(fmt::format("ligne {} : {}", row.line, fmt::join(reasons, " ; ")));
        io::write_csv_row(*results, out_row);
      }
      if (observer != nullptr) observer->rejected(rejected);
      report.rejected.push_back(std::move(rejected));
      continue;
    }

    ++report.rows_classified;
    if (results != nullptr) io::write_csv_row(*results, out_row);
    for (auto& counter : counters) counter.add(interpreter);
    if (observer != nullptr) observer->classified(row.line, row.number, record, interpreter);
  }
  for (const auto& counter : counters) report.summaries.push_back(counter.table());
  if (report.rows_read == 0) {
    report.fatal_errors.push_back("aucune ligne de données après l'en-tête");
  }
  return report;
}

}  // namespace tamis::runtime
