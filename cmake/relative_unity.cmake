# SPDX-License-Identifier: AGPL-3.0-or-later
# Unity builds whose generated sources include the real files by paths relative to themselves.
#
# Why not CMake's own UNITY_BUILD: its unity sources `#include "/absolute/path/file.cpp"`, so
# the preprocessed text (line markers, __FILE__) differs in every checkout and ccache cannot
# share a single hit between two clones, even with CCACHE_BASEDIR (which rewrites command
# lines, not file contents). Here each batch is build/unity/<target>/unity_<n>.cpp holding
# `#include "../../../src/…"`: the same bytes in every clone whose build directory has the
# same place in it, so a fresh clone (every CI run) compiles from the cache.
#
# cm_relative_unity_build(BATCH_SIZE): every static library and executable defined under the
# source tree so far whose property CM_UNITY is not OFF gets its .cpp files compiled in
# batches of BATCH_SIZE; the files themselves become HEADER_FILE_ONLY for that target's
# directory (each source file here belongs to one target).

function(_cm_unity_target target batch_size)
  get_target_property(_type ${target} TYPE)
  if(NOT _type STREQUAL "STATIC_LIBRARY" AND NOT _type STREQUAL "EXECUTABLE")
    return()
  endif()
  get_target_property(_opt ${target} CM_UNITY)
  if(_opt STREQUAL "OFF")
    return()
  endif()
  get_target_property(_srcs ${target} SOURCES)
  get_target_property(_srcdir ${target} SOURCE_DIR)
  set(_cpp "")
  foreach(_src IN LISTS _srcs)
    if(_src MATCHES "\\.cpp$")
      if(NOT IS_ABSOLUTE "${_src}")
        set(_src "${_srcdir}/${_src}")
      endif()
      list(APPEND _cpp "${_src}")
    endif()
  endforeach()
  list(LENGTH _cpp _count)
  if(_count LESS 2)
    return()
  endif()
  list(SORT _cpp)
  set(_dir "${CMAKE_BINARY_DIR}/unity/${target}")
  set(_batch 0)
  set(_in_batch 0)
  set(_content "")
  set(_units "")
  foreach(_src IN LISTS _cpp)
    file(RELATIVE_PATH _rel "${_dir}" "${_src}")
    string(APPEND _content "#include \"${_rel}\"\n")
    math(EXPR _in_batch "${_in_batch} + 1")
    if(_in_batch EQUAL batch_size)
      list(APPEND _units "${_dir}/unity_${_batch}.cpp")
      file(CONFIGURE OUTPUT "${_dir}/unity_${_batch}.cpp" CONTENT "${_content}" @ONLY)
      math(EXPR _batch "${_batch} + 1")
      set(_in_batch 0)
      set(_content "")
    endif()
  endforeach()
  if(_in_batch GREATER 0)
    list(APPEND _units "${_dir}/unity_${_batch}.cpp")
    file(CONFIGURE OUTPUT "${_dir}/unity_${_batch}.cpp" CONTENT "${_content}" @ONLY)
  endif()
  set_source_files_properties(${_cpp} TARGET_DIRECTORY ${target} PROPERTIES HEADER_FILE_ONLY ON)
  target_sources(${target} PRIVATE ${_units})
endfunction()

function(_cm_unity_directory dir batch_size)
  get_property(_targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_target IN LISTS _targets)
    _cm_unity_target(${_target} ${batch_size})
  endforeach()
  get_property(_subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(_subdir IN LISTS _subdirs)
    _cm_unity_directory("${_subdir}" ${batch_size})
  endforeach()
endfunction()

function(cm_relative_unity_build batch_size)
  _cm_unity_directory("${CMAKE_SOURCE_DIR}" ${batch_size})
endfunction()
