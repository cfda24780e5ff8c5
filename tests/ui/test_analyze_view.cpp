// The analyze view: the scenario's defaults (the first operation's table, its shard key, sharding.rule), a hashed
// rule added by hand beside them, and another table, each card showing what `shardsim-cli analyze` reports.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include "main_window.h"
#include "scenario_document.h"
#include "views/analyze_view.h"
#include "views/key_candidate_card.h"
#include "views/view_context.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

const QString kKeys = QStringLiteral(SHARDSIM_TEST_DATA "/scenarios/valid/analyze-keys.yaml");

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString text(const std::string& s) { return QString::fromStdString(s); }

QString share(double value) { return text(formatShardKeyShare(value)); }

class AnalyzeViewTest : public ::testing::Test {
protected:
    AnalyzeView* open(const QString& path)
    {
        window = std::make_unique<MainWindow>(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
        window->scenarioDocument()->setText(readText(path), path);
        EXPECT_TRUE(window->document().load().ok()) << window->document().load().errorText();
        window->resize(1400, 900);
        window->show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        EXPECT_TRUE(window->showView(QStringLiteral("analyze")));
        auto* view = qobject_cast<AnalyzeView*>(window->view(QStringLiteral("analyze")));
        EXPECT_NE(view, nullptr);
        return view;
    }

    static bool settled(AnalyzeView* view, size_t cards)
    {
        return QTest::qWaitFor(
            [view, cards] {
                return !view->busy() && view->analysis() && view->analysis()->candidates.size() == cards
                    && size_t(view->cards().size()) == cards;
            },
            30'000);
    }

    // Every figure of the card reads as the core's candidate, in the words of `shardsim-cli analyze`.
    static void expectCardShows(const KeyCandidateCard* card, const ShardKeyCandidate& c)
    {
        EXPECT_EQ(card->fieldText(QStringLiteral("verdict")), text(c.verdict));
        EXPECT_EQ(card->fieldText(QStringLiteral("cardinality")), text(formatCardinality(c.cardinality)));
        EXPECT_EQ(card->fieldText(QStringLiteral("most_common")), text(formatMostCommon(c)));
        EXPECT_EQ(card->fieldText(QStringLiteral("monotonicity")),
            QStringLiteral("r = %1, %2").arg(QString::number(c.monotonicity, 'f', 3), text(monotonicityType(c))));
        const auto side = [](const TargetingShares& s) {
            return QStringLiteral("%1 single · %2 multi · %3 scatter")
                .arg(share(s.singleShard), share(s.multiShard), share(s.scatterGather));
        };
        EXPECT_EQ(card->fieldText(QStringLiteral("reads")), side(c.reads));
        EXPECT_EQ(card->fieldText(QStringLiteral("writes")), side(c.writes));
        EXPECT_EQ(card->fieldText(QStringLiteral("hottest_shard_share")),
            QStringLiteral("%1 of the requests").arg(share(c.hottestShardShare)));
    }

    QTemporaryDir directory;
    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_F(AnalyzeViewTest, MonotonicIdOnRangesAndTheSameIdHashedShowTheCoreVerdicts)
{
    AnalyzeView* view = open(kKeys);
    ASSERT_NE(view, nullptr);
    // The command line's defaults: t_order (the first operation's), its key id, the scenario's range rule.
    ASSERT_TRUE(settled(view, 1));
    EXPECT_EQ(view->tableChooser()->currentText(), QStringLiteral("t_order"));
    EXPECT_EQ(view->ruleList()->item(0)->text(), QStringLiteral("range:bounds=250K|500K|750K (sharding.rule)"));

    // A hashed rule beside it, typed and entered as a user would.
    QTest::keyClicks(view->ruleInput(), QStringLiteral("hash-mod:n=4"));
    QTest::keyClick(view->ruleInput(), Qt::Key_Return);
    ASSERT_TRUE(settled(view, 2));

    const auto core = analyzeShardKeys(
        *view->context()->scenario(), "t_order", { "id" }, { "range:bounds=250K|500K|750K", "hash-mod:n=4" });
    ASSERT_TRUE(core.ok()) << core.error();
    const auto cards = view->cards();
    ASSERT_EQ(cards.size(), 2);
    for (int i = 0; i < 2; ++i)
        expectCardShows(cards[i], core->candidates[size_t(i)]);

    // What a reader of the cards learns, worked out by hand (AnalyzeCli tests the same numbers): sequential ids are
    // monotonic and every insert goes to the last range; hashed, the same ids spread evenly.
    EXPECT_TRUE(cards[0]
                    ->fieldText(QStringLiteral("verdict"))
                    .startsWith(QStringLiteral("monotonic: every insert lands on the last range (shard 3)")));
    EXPECT_EQ(cards[0]->fieldText(QStringLiteral("monotonicity")), QStringLiteral("r = 1.000, monotonic"));
    EXPECT_TRUE(cards[1]->fieldText(QStringLiteral("verdict")).startsWith(QStringLiteral("good: 1000000 distinct")));
    EXPECT_EQ(cards[1]->fieldText(QStringLiteral("reads")), QStringLiteral("75% single · 0% multi · 25% scatter"));
    EXPECT_EQ(cards[1]->fieldText(QStringLiteral("cardinality")), QStringLiteral("1,000,000"));

    // The CSV export has a line per card.
    EXPECT_EQ(view->csv().count(QLatin1Char('\n')), 3);
    EXPECT_TRUE(view->csv().contains(QStringLiteral("t_order,id,\"hash-mod:n=4,hash=java\",4,1000000,")));
}

TEST_F(AnalyzeViewTest, AnotherTableAndKeyAreAnalysedWhenChosen)
{
    AnalyzeView* view = open(kKeys);
    ASSERT_NE(view, nullptr);
    ASSERT_TRUE(settled(view, 1));
    // Tables without a shard key of their own are not offered; the three here all have one.
    EXPECT_EQ(view->tableChooser()->count(), 3);
    view->tableChooser()->setCurrentText(QStringLiteral("t_tenant"));
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy() && view->analysis()->table == "t_tenant"; }, 30'000));
    ASSERT_EQ(view->cards().size(), 1);
    // Three tenants on four ranges, keys 1..3 all below 250K: one shard holds them all.
    const QString verdict = view->cards()[0]->fieldText(QStringLiteral("verdict"));
    EXPECT_TRUE(verdict.startsWith(QStringLiteral("low cardinality: 3 distinct values for 4 shards")))
        << verdict.toStdString();
    EXPECT_EQ(
        view->cards()[0]->fieldText(QStringLiteral("hottest_shard_share")), QStringLiteral("100% of the requests"));
}

TEST_F(AnalyzeViewTest, AnUnknownRuleSaysWhyAndShowsNoCards)
{
    AnalyzeView* view = open(kKeys);
    ASSERT_NE(view, nullptr);
    ASSERT_TRUE(settled(view, 1));
    QTest::keyClicks(view->ruleInput(), QStringLiteral("no-such-rule:n=4"));
    QTest::keyClick(view->ruleInput(), Qt::Key_Return);
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy() && !view->analysis(); }, 30'000));
    EXPECT_TRUE(view->cards().isEmpty());
    bool said = false;
    for (const QLabel* label : view->findChildren<QLabel*>())
        said = said
            || (label->isVisible()
                && label->text().startsWith(QStringLiteral("Cannot analyse: rule no-such-rule:n=4: unknown rule")));
    EXPECT_TRUE(said);
}
