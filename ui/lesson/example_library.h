#pragma once
// The scenario library built into the app (scenarios/ in the source tree, under :/library), grouped by
// topic for File → Examples, plus the default scenario. An example is opened as text with no file
// behind it; the files it names (traces, samples, directory CSVs) are copied out of the resources into
// a private temporary directory so the core, which reads plain files, can resolve them.

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace shardsim::ui {

struct ExampleEntry {
    QString topic; // the subdirectory: rules, ids, tables, workload, replay ...
    QString name; // file name without .yaml
    QString resource; // :/library/<topic>/<name>.yaml
};

class ExampleLibrary {
public:
    ExampleLibrary();
    ~ExampleLibrary();

    // Every example, by topic then name.
    const std::vector<ExampleEntry>& entries() const { return m_entries; }
    QStringList topics() const;
    const ExampleEntry* find(const QString& topic, const QString& name) const;

    // The example's text; empty when it is missing.
    static QString text(const ExampleEntry& entry);
    // A directory holding a copy of the files beside the example (its topic directory without the
    // scenarios); empty when it cannot be made. Copied once per topic.
    QString dataDirectory(const ExampleEntry& entry);

private:
    std::vector<ExampleEntry> m_entries;
    std::unique_ptr<QTemporaryDir> m_data;
    QStringList m_extracted;
};

} // namespace shardsim::ui
