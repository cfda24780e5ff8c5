#pragma once
// The time slider under every view: drag it over a running or finished simulation and all views
// follow the selected tick. At the right end it follows the newest tick of a running simulation.

#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace shardsim::ui {

class ViewContext;

class PlaybackBar : public QWidget {
    Q_OBJECT
public:
    explicit PlaybackBar(ViewContext* context, QWidget* parent = nullptr);
    QSlider* slider() const { return m_slider; }

private:
    void refresh();

    ViewContext* m_context;
    QSlider* m_slider;
    QLabel* m_time;
    QToolButton* m_peak;
    QToolButton* m_latest;
    bool m_updating = false;
};

} // namespace shardsim::ui
