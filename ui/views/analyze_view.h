#pragma once
// `analyze`: is a column a good shard key? The view of `shardsim-cli analyze` (docs/shard-key-analysis.md) on the
// scenario open in the app: the user picks the table, one or more candidate keys and rules (by default the first
// operation's table, its shard key and sharding.rule, as the command line defaults), and sees one card per key and
// rule with the verdict in words on top. The analysis runs on a worker whenever the scenario or the choice changes.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/report/shard_key_analysis.h"
#include "views/analysis_view.h"
#include "workers/job_runner.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLineEdit;
class QListWidget;
class QVBoxLayout;
QT_END_NAMESPACE

namespace shardsim::ui {

class KeyCandidateCard;

class AnalyzeView : public AnalysisView {
    Q_OBJECT
public:
    AnalyzeView(ViewContext* context, QWidget* parent = nullptr);

    QString csv() const override;
    QWidget* exportWidget() override { return m_cardsPage; }
    bool busy() const override { return m_jobs.busy(); }

    // The analysis the cards show, once there is one.
    const std::optional<ShardKeyAnalysis>& analysis() const { return m_analysis; }
    QList<KeyCandidateCard*> cards() const;
    QComboBox* tableChooser() const { return m_table; }
    QListWidget* keyList() const { return m_keys; } // checkable columns of the table
    QListWidget* ruleList() const { return m_rules; } // checkable rule specs, sharding.rule first
    QLineEdit* ruleInput() const { return m_ruleInput; } // Enter adds its spec to the rules, checked

protected:
    void refresh() override;

private:
    // What is analysed: the scenario and the choice in the controls.
    struct Request {
        std::shared_ptr<const ScenarioConfig> scenario;
        std::string table;
        std::vector<std::string> keys;
        std::vector<std::string> rules;
        bool operator==(const Request&) const = default;
    };

    void listTables(const ScenarioConfig& scenario);
    void listKeys();
    void listRules(const ScenarioConfig& scenario);
    void addRule();
    Request request() const;
    void start(const Request& request);
    void finished(Result<ShardKeyAnalysis> result);
    void showCards(const ShardKeyAnalysis& analysis);

    QComboBox* m_table;
    QListWidget* m_keys;
    QListWidget* m_rules;
    QLineEdit* m_ruleInput;
    QWidget* m_cardsPage;
    QVBoxLayout* m_cardsLayout;

    std::shared_ptr<const ScenarioConfig> m_listed; // the scenario the controls list
    std::optional<Request> m_analyzed; // the request m_analysis (or m_error) answers
    std::optional<ShardKeyAnalysis> m_analysis;
    QString m_error;
    JobRunner m_jobs;
    std::optional<Request> m_working; // the request under way
};

} // namespace shardsim::ui
