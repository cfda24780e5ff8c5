#pragma once
// The application icon, drawn in code so it needs no image plugin: a database split into coloured
// shards. resources/icons/shardsim.svg is the same picture for the desktop entry.

#include <QIcon>

namespace shardsim::ui {

QIcon appIcon();

} // namespace shardsim::ui
