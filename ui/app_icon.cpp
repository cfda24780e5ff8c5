#include "app_icon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace shardsim::ui {

namespace {
    QPixmap drawIcon(int size)
    {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 64.0, size / 64.0);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0x1f, 0x3a, 0x5f));
        painter.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
        // Three stacked disks, each split in shards of another colour.
        const QColor colours[] = { QColor(0x6c, 0xc0, 0xa0), QColor(0xe8, 0xd0, 0x5a), QColor(0xf0, 0x8c, 0x3c) };
        for (int level = 0; level < 3; ++level) {
            const double y = 14 + level * 13;
            QPainterPath disk;
            disk.addRoundedRect(QRectF(13, y, 38, 10), 5, 5);
            painter.setBrush(colours[level]);
            painter.drawPath(disk);
            painter.setPen(QPen(QColor(0x1f, 0x3a, 0x5f), 2));
            const double split = 22 + level * 7;
            painter.drawLine(QPointF(split, y), QPointF(split, y + 10));
            painter.setPen(Qt::NoPen);
        }
        return pixmap;
    }
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : { 16, 24, 32, 48, 64, 128, 256 })
        icon.addPixmap(drawIcon(size));
    return icon;
}

} // namespace shardsim::ui
