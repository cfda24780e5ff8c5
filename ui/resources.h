#pragma once
// The built-in scenarios and icons live in a resource file linked into a static library, so they
// must be registered explicitly before first use. Safe to call more than once.
void initShardsimResources();
