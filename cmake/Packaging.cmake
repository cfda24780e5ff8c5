# Installation layout and the Debian package.
#   cmake --install BUILD [--prefix /usr]   bin/shardsim, bin/shardsim-cli,
#                                           share/shardsim/scenarios/ (the library with its goldens),
#                                           share/shardsim/double-11-orders.yaml (the default scenario),
#                                           share/applications/shardsim.desktop,
#                                           share/icons/hicolor/scalable/apps/shardsim.svg
#   cpack -G DEB (in BUILD)                 shardsim_VERSION_ARCH.deb; scripts/package does both.
include(GNUInstallDirs)

install(TARGETS shardsim-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The library with its goldens and data files, so `shardsim-cli check /usr/share/shardsim/scenarios`
# verifies an installed copy.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/shardsim/scenarios
  FILES_MATCHING PATTERN "*.yaml" PATTERN "*.golden.json" PATTERN "*.csv")
install(FILES ${PROJECT_SOURCE_DIR}/resources/scenarios/double-11-orders.yaml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/shardsim)

set(CPACK_PACKAGE_NAME shardsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "shardsim")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Simulate sharded databases and plan their capacity")
set(CPACK_PACKAGE_DESCRIPTION
  "shardsim routes a synthetic or recorded workload through a shard rule onto a simulated cluster and\n\
shows the load on every node, hot spots and imbalance over time. A desktop app (shardsim) and a\n\
command line (shardsim-cli) with a library of teaching scenarios in /usr/share/shardsim/scenarios.")
set(SHARDSIM_PACKAGE_CONTACT "shardsim maintainers <maintainers@shardsim.invalid>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${SHARDSIM_PACKAGE_CONTACT}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # shardsim_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Libraries the binaries link come from dpkg-shlibdeps. What Qt loads at run time no linked library
# names, so it is declared by hand:
# - the platform plugins (xcb for a desktop, offscreen for --screenshot): Debian ships them in libqt6gui6
#   itself since 6.3.1+dfsg-6 (qt6-qpa-plugins holds only vnc and a touch plugin since then), so the
#   floor on libqt6gui6 is what brings them;
# - a font, without which the desktop app draws every character as a box. libfontconfig1 reaches a font
#   only through one of fontconfig-config's alternatives; DejaVu also has the monospace face the route
#   panel asks for.
# scripts/check-package installs the package on a fresh Debian 12 without Recommends to prove this.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6gui6 (>= 6.3.1+dfsg-6~), fonts-dejavu-core")
include(CPack)
