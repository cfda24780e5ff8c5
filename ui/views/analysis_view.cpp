#include "views/analysis_view.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "charts/svg_writer.h"

namespace shardsim::ui {

AnalysisView::AnalysisView(ViewContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_toolBar(new QToolBar(this))
    , m_notice(new QLabel(this))
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_layout->addWidget(m_toolBar);

    m_notice->setWordWrap(true);
    m_notice->setContentsMargins(8, 4, 8, 4);
    m_notice->setForegroundRole(QPalette::PlaceholderText);
    m_notice->hide();
    m_layout->addWidget(m_notice);

    // Export sits at the right end of every view's strip, after the view's own controls.
    auto* spacer = new QWidget(this);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    spacer->setObjectName(QStringLiteral("toolBarSpacer"));
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setToolTip(tr("Save this view's chart as PNG or SVG, or its data as CSV"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(exportButton);
    menu->addAction(tr("Chart as &PNG…"), this, [this] { exportImageInteractively(QStringLiteral("png")); });
    menu->addAction(tr("Chart as &SVG…"), this, [this] { exportImageInteractively(QStringLiteral("svg")); });
    menu->addAction(tr("Data as &CSV…"), this, [this] { exportCsvInteractively(); });
    exportButton->setMenu(menu);
    m_toolBar->addWidget(spacer);
    m_toolBar->addWidget(exportButton);
}

void AnalysisView::requestRefresh()
{
    m_dirty = true;
    if (!isOnScreen() || m_scheduled)
        return;
    m_scheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_scheduled = false;
        if (m_dirty && isOnScreen()) {
            m_dirty = false;
            refresh();
        }
    });
}

void AnalysisView::ensureFresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    refresh();
}

void AnalysisView::setOnScreen(bool onScreen)
{
    m_onScreen = onScreen;
    if (onScreen && m_dirty)
        requestRefresh();
}

void AnalysisView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        requestRefresh();
}

void AnalysisView::setContent(QWidget* content)
{
    m_content = content;
    m_layout->addWidget(content, 1);
}

void AnalysisView::setNotice(const QString& text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

bool AnalysisView::saveImage(const QString& path, QString* error)
{
    ensureFresh();
    QWidget* widget = exportWidget();
    if (!widget) {
        *error = tr("this view has no picture");
        return false;
    }
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0)
        return writeWidgetSvg(widget, path, windowTitle(), error);
    if (!widget->grab().save(path, "PNG")) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

bool AnalysisView::saveCsv(const QString& path, QString* error)
{
    ensureFresh();
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) || file.write(csv().toUtf8()) < 0) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void AnalysisView::exportImageInteractively(const QString& format)
{
    const QString filter = format == QLatin1String("svg") ? tr("SVG images (*.svg)") : tr("PNG images (*.png)");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1").arg(windowTitle()), exportBaseName() + QLatin1Char('.') + format, filter);
    if (path.isEmpty())
        return;
    QString error;
    if (!saveImage(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not save %1: %2").arg(path, error));
}

void AnalysisView::exportCsvInteractively()
{
    ensureFresh();
    if (csv().isEmpty()) {
        QMessageBox::information(
            this, tr("Nothing to export"), tr("Run the scenario first: this view has no data yet."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1 data").arg(windowTitle()),
        exportBaseName() + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveCsv(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not save %1: %2").arg(path, error));
}

} // namespace shardsim::ui
