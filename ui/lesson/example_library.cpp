#include "example_library.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace shardsim::ui {

namespace {
    const QString kRoot = QStringLiteral(":/library");
}

ExampleLibrary::ExampleLibrary()
{
    const QDir root(kRoot);
    for (const QString& topic : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir dir(root.filePath(topic));
        for (const QString& file : dir.entryList({ QStringLiteral("*.yaml") }, QDir::Files, QDir::Name))
            m_entries.push_back({ topic, QFileInfo(file).completeBaseName(), dir.filePath(file) });
    }
}

ExampleLibrary::~ExampleLibrary() = default;

QStringList ExampleLibrary::topics() const
{
    QStringList topics;
    for (const ExampleEntry& entry : m_entries)
        if (!topics.contains(entry.topic))
            topics.push_back(entry.topic);
    return topics;
}

const ExampleEntry* ExampleLibrary::find(const QString& topic, const QString& name) const
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
        [&](const ExampleEntry& entry) { return entry.topic == topic && entry.name == name; });
    return it == m_entries.end() ? nullptr : &*it;
}

QString ExampleLibrary::text(const ExampleEntry& entry)
{
    QFile file(entry.resource);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString ExampleLibrary::dataDirectory(const ExampleEntry& entry)
{
    if (!m_data) {
        m_data = std::make_unique<QTemporaryDir>();
        if (!m_data->isValid()) {
            m_data.reset();
            return {};
        }
    }
    const QString target = m_data->filePath(entry.topic);
    if (m_extracted.contains(entry.topic))
        return target;
    QDir().mkpath(target);
    const QDir source(QFileInfo(entry.resource).absolutePath());
    // Only the data files: scenarios are opened as text, goldens are for `shardsim-cli check`.
    for (const QString& file : source.entryList(QDir::Files)) {
        if (file.endsWith(QLatin1String(".yaml")))
            continue;
        const QString copy = QDir(target).filePath(file);
        QFile::remove(copy);
        if (!QFile::copy(source.filePath(file), copy))
            return {};
    }
    m_extracted.push_back(entry.topic);
    return target;
}

} // namespace shardsim::ui
