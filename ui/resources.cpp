#include "resources.h"

#include <QtCore/qglobal.h>

void initShardsimResources()
{
    static const bool initialised = [] {
        Q_INIT_RESOURCE(shardsim);
        return true;
    }();
    (void)initialised;
}
