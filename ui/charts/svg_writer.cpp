#include "charts/svg_writer.h"

#include <QBuffer>
#include <QFile>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QTextStream>
#include <QWidget>

namespace shardsim::ui {

namespace {
    QString number(double value) { return QString::number(value, 'g', 6); }

    QString colorAttributes(const QString& name, const QColor& color)
    {
        if (color.alpha() == 0)
            return QStringLiteral(" %1=\"none\"").arg(name);
        QString text = QStringLiteral(" %1=\"%2\"").arg(name, color.name(QColor::HexRgb));
        if (color.alpha() < 255)
            text += QStringLiteral(" %1-opacity=\"%2\"").arg(name, number(color.alphaF()));
        return text;
    }

    QString pathData(const QPainterPath& path)
    {
        QString d;
        for (int i = 0; i < path.elementCount(); ++i) {
            const QPainterPath::Element e = path.elementAt(i);
            switch (e.type) {
            case QPainterPath::MoveToElement:
                d += QStringLiteral("M%1 %2").arg(number(e.x), number(e.y));
                break;
            case QPainterPath::LineToElement:
                d += QStringLiteral("L%1 %2").arg(number(e.x), number(e.y));
                break;
            case QPainterPath::CurveToElement:
                d += QStringLiteral("C%1 %2").arg(number(e.x), number(e.y));
                break;
            case QPainterPath::CurveToDataElement:
                d += QStringLiteral(" %1 %2").arg(number(e.x), number(e.y));
                break;
            }
        }
        return d;
    }

    class SvgEngine : public QPaintEngine {
    public:
        SvgEngine()
            : QPaintEngine(QPaintEngine::AllFeatures)
        {
        }

        QString body;

        bool begin(QPaintDevice*) override { return true; }
        bool end() override { return true; }
        Type type() const override { return QPaintEngine::User; }

        void updateState(const QPaintEngineState& changed) override
        {
            const auto flags = changed.state();
            if (flags & DirtyPen)
                m_pen = changed.pen();
            if (flags & DirtyBrush)
                m_brush = changed.brush();
            if (flags & DirtyFont)
                m_font = changed.font();
            if (flags & DirtyTransform)
                m_transform = changed.transform();
            if (flags & DirtyOpacity)
                m_opacity = changed.opacity();
            if (flags & (DirtyClipPath | DirtyClipRegion | DirtyClipEnabled)) {
                // Keep the clip as a rectangle: charts clip their plot area, widgets their frames.
                if (flags & DirtyClipRegion)
                    setClip(changed.clipRegion().boundingRect(), changed.clipOperation());
                else if (flags & DirtyClipPath)
                    setClip(changed.clipPath().boundingRect(), changed.clipOperation());
                if ((flags & DirtyClipEnabled) && !changed.isClipEnabled())
                    m_clip = QString();
            }
        }

        void drawPath(const QPainterPath& path) override
        {
            QString element = QStringLiteral("<path d=\"%1\"").arg(pathData(path));
            element += fillAttributes(path.fillRule() == Qt::WindingFill);
            element += strokeAttributes();
            emitElement(element + QStringLiteral("/>"));
        }

        void drawPolygon(const QPointF* points, int count, PolygonDrawMode mode) override
        {
            if (count <= 0)
                return;
            QString list;
            for (int i = 0; i < count; ++i)
                list += QStringLiteral("%1,%2 ").arg(number(points[i].x()), number(points[i].y()));
            const bool polyline = mode == PolylineMode;
            QString element
                = QStringLiteral("<%1 points=\"%2\"").arg(polyline ? "polyline" : "polygon", list.trimmed());
            element += polyline ? QStringLiteral(" fill=\"none\"") : fillAttributes(mode == WindingMode);
            element += strokeAttributes();
            emitElement(element + QStringLiteral("/>"));
        }

        void drawTextItem(const QPointF& p, const QTextItem& item) override
        {
            const QFont font = item.font();
            const double size = font.pixelSize() > 0 ? font.pixelSize() : font.pointSizeF() * 96.0 / 72.0;
            QString element = QStringLiteral("<text x=\"%1\" y=\"%2\" font-family=\"%3\" font-size=\"%4\"")
                                  .arg(number(p.x()), number(p.y()), font.family().toHtmlEscaped(), number(size));
            if (font.bold())
                element += QStringLiteral(" font-weight=\"bold\"");
            if (font.italic())
                element += QStringLiteral(" font-style=\"italic\"");
            element += colorAttributes(QStringLiteral("fill"), m_pen.color());
            emitElement(element + QStringLiteral(" xml:space=\"preserve\">%1</text>").arg(item.text().toHtmlEscaped()));
        }

        void drawPixmap(const QRectF& r, const QPixmap& pixmap, const QRectF& source) override
        {
            drawImage(r, pixmap.toImage(), source, Qt::AutoColor);
        }

        void drawImage(const QRectF& r, const QImage& image, const QRectF& source, Qt::ImageConversionFlags) override
        {
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            image.copy(source.toAlignedRect()).save(&buffer, "PNG");
            emitElement(QStringLiteral("<image x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" "
                                       "preserveAspectRatio=\"none\" href=\"data:image/png;base64,%5\"/>")
                            .arg(number(r.x()), number(r.y()), number(r.width()), number(r.height()),
                                QString::fromLatin1(png.toBase64())));
        }

        QString definitions;

    private:
        void setClip(const QRectF& rect, Qt::ClipOperation operation)
        {
            if (operation == Qt::NoClip || rect.isEmpty()) {
                m_clip = QString();
                return;
            }
            const QRectF device = m_transform.mapRect(rect);
            m_clip = QStringLiteral("c%1").arg(++m_clipCount);
            definitions += QStringLiteral(
                "<clipPath id=\"%1\"><rect x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\"/></clipPath>\n")
                               .arg(m_clip, number(device.x()), number(device.y()), number(device.width()),
                                   number(device.height()));
        }

        QString fillAttributes(bool winding) const
        {
            if (m_brush.style() == Qt::NoBrush)
                return QStringLiteral(" fill=\"none\"");
            QColor color = m_brush.color();
            if (const QGradient* gradient = m_brush.gradient(); gradient && !gradient->stops().isEmpty())
                color = gradient->stops().constFirst().second; // gradients are decoration here
            QString text = colorAttributes(QStringLiteral("fill"), color);
            if (!winding)
                text += QStringLiteral(" fill-rule=\"evenodd\"");
            return text;
        }

        QString strokeAttributes() const
        {
            if (m_pen.style() == Qt::NoPen)
                return QString();
            QString text = colorAttributes(QStringLiteral("stroke"), m_pen.color());
            const double width = m_pen.widthF() > 0 ? m_pen.widthF() : 1.0;
            text += QStringLiteral(" stroke-width=\"%1\"").arg(number(width));
            if (m_pen.isCosmetic())
                text += QStringLiteral(" vector-effect=\"non-scaling-stroke\"");
            if (m_pen.style() == Qt::DashLine)
                text += QStringLiteral(" stroke-dasharray=\"%1 %2\"").arg(number(4 * width), number(2 * width));
            else if (m_pen.style() == Qt::DotLine)
                text += QStringLiteral(" stroke-dasharray=\"%1 %2\"").arg(number(width), number(2 * width));
            return text;
        }

        void emitElement(const QString& element)
        {
            QString wrapped = element;
            if (!m_transform.isIdentity()) {
                const QTransform& t = m_transform;
                wrapped.insert(wrapped.indexOf(QLatin1Char(' ')),
                    QStringLiteral(" transform=\"matrix(%1 %2 %3 %4 %5 %6)\"")
                        .arg(number(t.m11()), number(t.m12()), number(t.m21()), number(t.m22()), number(t.dx()),
                            number(t.dy())));
            }
            QString prefix;
            QString suffix;
            if (!m_clip.isEmpty()) {
                prefix = QStringLiteral("<g clip-path=\"url(#%1)\">").arg(m_clip);
                suffix = QStringLiteral("</g>");
            }
            if (m_opacity < 1.0) {
                prefix += QStringLiteral("<g opacity=\"%1\">").arg(number(m_opacity));
                suffix.prepend(QStringLiteral("</g>"));
            }
            body += prefix + wrapped + suffix + QLatin1Char('\n');
        }

        QPen m_pen;
        QBrush m_brush;
        QFont m_font;
        QTransform m_transform;
        double m_opacity = 1.0;
        QString m_clip;
        int m_clipCount = 0;
    };

    class SvgCanvas : public QPaintDevice {
    public:
        explicit SvgCanvas(QSize size)
            : m_size(size)
        {
        }
        QPaintEngine* paintEngine() const override { return &m_engine; }
        SvgEngine& engine() const { return m_engine; }

    protected:
        int metric(PaintDeviceMetric metric) const override
        {
            constexpr int kDpi = 96;
            switch (metric) {
            case PdmWidth:
                return m_size.width();
            case PdmHeight:
                return m_size.height();
            case PdmWidthMM:
                return m_size.width() * 254 / (kDpi * 10);
            case PdmHeightMM:
                return m_size.height() * 254 / (kDpi * 10);
            case PdmNumColors:
                return 0x7fffffff;
            case PdmDepth:
                return 32;
            case PdmDpiX:
            case PdmDpiY:
            case PdmPhysicalDpiX:
            case PdmPhysicalDpiY:
                return kDpi;
            case PdmDevicePixelRatio:
                return 1;
            case PdmDevicePixelRatioScaled:
                return static_cast<int>(QPaintDevice::devicePixelRatioFScale());
            }
            return 0;
        }

    private:
        QSize m_size;
        mutable SvgEngine m_engine;
    };
}

bool writeWidgetSvg(QWidget* widget, const QString& path, const QString& title, QString* error)
{
    const QSize size = widget->size();
    SvgCanvas canvas(size);
    {
        QPainter painter(&canvas);
        widget->render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QTextStream out(&file);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << QStringLiteral(
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\">\n")
               .arg(size.width())
               .arg(size.height())
        << "<title>" << title.toHtmlEscaped() << "</title>\n"
        << "<defs>\n"
        << canvas.engine().definitions << "</defs>\n"
        << canvas.engine().body << "</svg>\n";
    out.flush();
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace shardsim::ui
