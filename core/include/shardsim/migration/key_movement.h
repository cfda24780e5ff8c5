#pragma once
// Key movement is rule arithmetic below the engine (shardsim/movement/key_movement.h); the capacity planner and the
// desktop app's Migration view still include it by this name.

#include "shardsim/movement/key_movement.h"
