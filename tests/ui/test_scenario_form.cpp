#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTextDocument>
#include <gtest/gtest.h>

#include "commands/field_edit.h"
#include "editor/scenario_form.h"
#include "main_window.h"
#include "scenario_document.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim::ui;

namespace {

// What the core makes of the document right now.
shardsim::ScenarioLoad readBack(const ScenarioDocument& document)
{
    return shardsim::loadScenarioText(document.text().toStdString(), "form.yaml", {});
}

void typeInto(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    edit->insert(text);
    emit edit->editingFinished();
    edit->clearFocus();
}

} // namespace

class ScenarioFormTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        // A file with regions, a double-11 rate and a db-table rule: every part of the form has a field to show.
        ASSERT_TRUE(window.openFile(QStringLiteral(SHARDSIM_TEST_DATA "/scenarios/valid/form-regions-double-11.yaml")));
        document = window.scenarioDocument();
        form = window.form();
        ASSERT_TRUE(document->load().ok());
    }

    MainWindow window { MainWindowOptions { false, QString(), false } };
    ScenarioDocument* document = nullptr;
    ScenarioForm* form = nullptr;
};

TEST_F(ScenarioFormTest, ShowsTheFieldsAsWrittenInTheText)
{
    EXPECT_EQ(form->nodes()->value(), 8);
    EXPECT_EQ(form->maxQps()->text(), "20K");
    EXPECT_EQ(form->ruleName()->currentText(), "db-table");
    EXPECT_EQ(form->ruleParams()->text(), "dbs=8,tables=10");
    EXPECT_EQ(form->distribution()->currentText(), "zipf");
    EXPECT_EQ(form->theta()->text(), "0.99");
    EXPECT_EQ(form->shape()->currentText(), "double-11");
    EXPECT_EQ(form->base()->text(), "50K/s");
    EXPECT_EQ(form->peak()->text(), "30x");
}

TEST_F(ScenarioFormTest, EditingAFieldChangesOnlyThatValueInTheText)
{
    const QString before = document->text();
    form->nodes()->setValue(16);
    EXPECT_EQ(document->text(), QString(before).replace("  nodes: 8\n", "  nodes: 16\n"));
    auto load = readBack(*document);
    ASSERT_FALSE(load.ok()) << "the regions still add up to 8 nodes";
    EXPECT_EQ(load.diagnostics.front().path.rfind("cluster", 0), 0u) << load.errorText();
    document->textDocument()->undo();
    EXPECT_EQ(document->text(), before);

    form->replication()->setValue(3);
    typeInto(form->maxQps(), "30K");
    EXPECT_TRUE(
        document->text().contains("    max_qps: 30K                     # requests/s served at 100% utilisation"));
    EXPECT_TRUE(document->text().contains("  replication: 3                     # copies of every shard"));
    load = readBack(*document);
    ASSERT_TRUE(load.ok()) << load.errorText();
    EXPECT_EQ(load.config->cluster.replication, 3);
    EXPECT_DOUBLE_EQ(load.config->cluster.node.maxQps, 30'000);
}

TEST_F(ScenarioFormTest, EditingTheTextUpdatesTheForm)
{
    QTextCursor cursor = document->textDocument()->find("theta: 0.99");
    ASSERT_FALSE(cursor.isNull());
    cursor.insertText("theta: 0.7");
    cursor = document->textDocument()->find("rule: db-table:dbs=8,tables=10");
    cursor.insertText("rule: jump:buckets=64");
    form->readFromText();
    EXPECT_EQ(form->theta()->text(), "0.7");
    EXPECT_EQ(form->ruleName()->currentText(), "jump");
    EXPECT_EQ(form->ruleParams()->text(), "buckets=64");
}

TEST_F(ScenarioFormTest, UndoAndRedoWalkThroughFormAndTextEditsAlike)
{
    QTextDocument* text = document->textDocument();
    const QString original = document->text();
    form->nodes()->setValue(12);
    const QString afterForm = document->text();
    QTextCursor cursor = text->find("seed: 42");
    cursor.insertText("seed: 7");
    const QString afterText = document->text();

    text->undo();
    EXPECT_EQ(document->text(), afterForm);
    text->undo();
    EXPECT_EQ(document->text(), original) << "one form edit is one undo step";
    form->readFromText();
    EXPECT_EQ(form->nodes()->value(), 8) << "the form follows the undo";
    text->redo();
    text->redo();
    EXPECT_EQ(document->text(), afterText);
    EXPECT_TRUE(document->isModified());
}

TEST_F(ScenarioFormTest, ChangingTheRateShapeOrDistributionKeepsTheScenarioValid)
{
    form->shape()->setCurrentText("constant");
    emit form->shape()->activated(form->shape()->currentIndex());
    auto load = readBack(*document);
    ASSERT_TRUE(load.ok()) << "keys of double-11 must go with it:\n" << load.errorText();
    EXPECT_EQ(load.config->workload.rate.front().kind, shardsim::RateShapeKind::Constant);
    EXPECT_DOUBLE_EQ(load.config->workload.rate.front().base, 50'000);

    form->distribution()->setCurrentText("hotspot");
    emit form->distribution()->activated(form->distribution()->currentIndex());
    load = readBack(*document);
    ASSERT_TRUE(load.ok()) << "theta does not apply to hotspot:\n" << load.errorText();
    EXPECT_EQ(load.config->workload.keys.kind, shardsim::KeyDistributionKind::Hotspot);

    // One undo takes back the whole distribution change, removed keys included.
    document->textDocument()->undo();
    EXPECT_TRUE(document->text().contains("keys: { distribution: zipf, theta: 0.99 }"));
}

TEST_F(ScenarioFormTest, AConstantRateWrittenAsAWordBecomesAShapeWhenAShapeIsChosen)
{
    document->setText(QStringLiteral("name: t\nduration: 1h\ncluster: { nodes: 2 }\ndata:\n  tables:\n    - { name: "
                                     "t_user, rows: 1M }\nsharding:\n  rule: mod:n=2\nworkload:\n  rate: 5K/s\n"),
        QStringLiteral("t.yaml"));
    ASSERT_TRUE(document->load().ok()) << document->load().errorText();
    form->readFromText();
    EXPECT_EQ(form->shape()->currentText(), "constant");
    EXPECT_EQ(form->base()->text(), "5K/s");
    form->shape()->setCurrentText("diurnal");
    emit form->shape()->activated(form->shape()->currentIndex());
    EXPECT_TRUE(document->text().contains("rate: { shape: diurnal, base: 5K/s }"));
    typeInto(form->peak(), "3x");
    EXPECT_TRUE(document->text().contains("rate: { shape: diurnal, base: 5K/s, peak: 3x }"));
    const auto load = readBack(*document);
    ASSERT_TRUE(load.ok()) << load.errorText();
    EXPECT_DOUBLE_EQ(load.config->workload.rate.front().peak, 3.0);
}

TEST_F(ScenarioFormTest, FieldEditRefusesToOverwriteAListAndSaysSo)
{
    FieldEdit edit(document->textDocument());
    EXPECT_FALSE(edit.set("data.tables", "none"));
    EXPECT_TRUE(edit.error().contains("data.tables"));
}

TEST_F(ScenarioFormTest, ThePublishedSkewsAreMarksThatSetTheta)
{
    const QString marks = form->thetaMarks()->text();
    for (const char* theta : { "0.99", "1.28", "1.2117", "1.0666", "0.3048" })
        EXPECT_TRUE(marks.contains(QStringLiteral("href=\"%1\"").arg(QLatin1String(theta))))
            << theta << " in " << marks.toStdString();
    EXPECT_TRUE(marks.contains("twitter")) << marks.toStdString();

    emit form->thetaMarks()->linkActivated(QStringLiteral("1.28"));
    EXPECT_EQ(form->theta()->text(), "1.28");
    auto load = readBack(*document);
    ASSERT_TRUE(load.ok()) << load.errorText();
    EXPECT_DOUBLE_EQ(load.config->workload.keys.theta, 1.28);
}

TEST_F(ScenarioFormTest, RecentIsAChoiceAndTheFileSaysWhatItStillNeeds)
{
    form->distribution()->setCurrentText("recent");
    ASSERT_EQ(form->distribution()->currentText(), "recent");
    emit form->distribution()->activated(form->distribution()->currentIndex());
    EXPECT_TRUE(document->text().contains("distribution: recent")) << document->text().toStdString();
    EXPECT_FALSE(document->text().contains("theta:")) << "theta does not apply to recent";
    auto load = readBack(*document);
    ASSERT_FALSE(load.ok());
    EXPECT_NE(load.errorText().find("share"), std::string::npos) << load.errorText();
}
