option(SHARDSIM_WERROR "Treat warnings as errors" OFF)
# Applied to our own targets only, never to third-party code.
function(shardsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(SHARDSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
