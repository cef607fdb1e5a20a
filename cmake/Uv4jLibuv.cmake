# Which libuv uv4j (and bench/'s C peers) compile and link against. Included by CMakeLists.txt and
# bench/CMakeLists.txt, so both always use the same one.
#
# Options (all optional):
#   UV4J_LIBUV             BUNDLED (default): build the pinned libuv release below from source,
#                          static and position-independent, and link it into the library.
#                          SYSTEM: the installed libuv (uv.h and the library: libuv1-dev on Debian).
#                          Maven: -Duv4j.libuv=bundled|system.
#   UV4J_LIBUV_TARBALL     BUNDLED: use this tarball instead of downloading (offline builds). Its
#                          SHA-256 must still be one of the pinned ones below.
#   UV4J_LIBUV_CACHE_DIR   BUNDLED: where downloaded tarballs are kept across clean builds
#                          (default: $XDG_CACHE_HOME/uv4j, ~/.cache/uv4j, %LOCALAPPDATA%/uv4j).
#   UV4J_LIBUV_SOURCE_DIR  an unpacked libuv source tree to build instead (any version; no hash).
#   UV4J_LIBUV_LINK        SYSTEM: AUTO (static when a PIC static archive exists), STATIC or SHARED.
#
# Result: the target uv4j_libuv (link it PRIVATE), UV4J_LIBUV_VERSION ("1.50.0") and
# UV4J_LIBUV_HOW (one sentence: which libuv, how linked).

# ---- the pinned release: one version, every place it can come from, each with its SHA-256 ----
# Upstream's tag archive and Debian's source package hold the same tree but are different files
# (different top directory, different gzip), so each mirror carries its own hash. Tried in order.
set(UV4J_LIBUV_PINNED_VERSION "1.50.0")
set(_uv4j_libuv_mirrors
  "https://github.com/libuv/libuv/archive/refs/tags/v1.50.0.tar.gz|b1ec56444ee3f1e10c8bd3eed16ba47016ed0b94fe42137435aaf2e0bd574579"
  "http://deb.debian.org/debian/pool/main/libu/libuv1/libuv1_1.50.0.orig.tar.gz|ec9de6ecf2a780fd2afb3b007947d2cd57c3bb17f3b9e721a66774980d35cd4d"
  "https://deb.debian.org/debian/pool/main/libu/libuv1/libuv1_1.50.0.orig.tar.gz|ec9de6ecf2a780fd2afb3b007947d2cd57c3bb17f3b9e721a66774980d35cd4d")

set(UV4J_LIBUV "BUNDLED" CACHE STRING "BUNDLED (libuv ${UV4J_LIBUV_PINNED_VERSION} built from source and linked in) or SYSTEM")
set_property(CACHE UV4J_LIBUV PROPERTY STRINGS BUNDLED SYSTEM)
string(TOUPPER "${UV4J_LIBUV}" _uv4j_libuv_mode)
set(UV4J_LIBUV_LINK "AUTO" CACHE STRING "SYSTEM only: AUTO, STATIC or SHARED")
set(UV4J_LIBUV_TARBALL "" CACHE FILEPATH "BUNDLED only: a local libuv tarball (offline builds)")
if(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
  file(TO_CMAKE_PATH "$ENV{XDG_CACHE_HOME}/uv4j" _uv4j_default_cache)
elseif(WIN32 AND DEFINED ENV{LOCALAPPDATA})
  file(TO_CMAKE_PATH "$ENV{LOCALAPPDATA}/uv4j" _uv4j_default_cache)
elseif(DEFINED ENV{HOME})
  file(TO_CMAKE_PATH "$ENV{HOME}/.cache/uv4j" _uv4j_default_cache)
else()
  set(_uv4j_default_cache "${CMAKE_BINARY_DIR}/libuv-download")
endif()
set(UV4J_LIBUV_CACHE_DIR "${_uv4j_default_cache}" CACHE PATH "BUNDLED only: where downloaded libuv tarballs are kept")

# The version a uv.h tree declares, from its uv/version.h.
function(uv4j_libuv_header_version include_dir out_var)
  set(_v "unknown")
  if(EXISTS "${include_dir}/uv/version.h")
    file(STRINGS "${include_dir}/uv/version.h" _lines REGEX "^#define UV_VERSION_(MAJOR|MINOR|PATCH) +[0-9]+")
    foreach(_part MAJOR MINOR PATCH)
      foreach(_l ${_lines})
        if(_l MATCHES "UV_VERSION_${_part} +([0-9]+)")
          set(_${_part} "${CMAKE_MATCH_1}")
        endif()
      endforeach()
    endforeach()
    set(_v "${_MAJOR}.${_MINOR}.${_PATCH}")
  endif()
  set(${out_var} "${_v}" PARENT_SCOPE)
endfunction()

# Verified tarball -> path in out_var. A given tarball, else the cache, else each mirror in turn.
function(uv4j_libuv_fetch out_var)
  set(_hashes "")
  foreach(_m ${_uv4j_libuv_mirrors})
    string(REPLACE "|" ";" _pair "${_m}")
    list(GET _pair 1 _h)
    list(APPEND _hashes "${_h}")
  endforeach()
  if(UV4J_LIBUV_TARBALL)
    if(NOT EXISTS "${UV4J_LIBUV_TARBALL}")
      message(FATAL_ERROR "uv4j: UV4J_LIBUV_TARBALL=${UV4J_LIBUV_TARBALL} does not exist")
    endif()
    file(SHA256 "${UV4J_LIBUV_TARBALL}" _got)
    list(FIND _hashes "${_got}" _i)
    if(_i LESS 0)
      message(FATAL_ERROR "uv4j: ${UV4J_LIBUV_TARBALL} has SHA-256 ${_got}, which is not a pinned "
        "libuv ${UV4J_LIBUV_PINNED_VERSION} tarball (cmake/Uv4jLibuv.cmake lists the accepted ones)")
    endif()
    set(${out_var} "${UV4J_LIBUV_TARBALL}" PARENT_SCOPE)
    return()
  endif()
  file(MAKE_DIRECTORY "${UV4J_LIBUV_CACHE_DIR}")
  set(_errors "")
  foreach(_m ${_uv4j_libuv_mirrors})
    string(REPLACE "|" ";" _pair "${_m}")
    list(GET _pair 0 _url)
    list(GET _pair 1 _sha)
    get_filename_component(_name "${_url}" NAME)
    if(_name MATCHES "^v[0-9]")
      set(_name "libuv-${_name}")
    endif()
    set(_file "${UV4J_LIBUV_CACHE_DIR}/${_name}")
    if(EXISTS "${_file}")
      file(SHA256 "${_file}" _got)
      if(_got STREQUAL _sha)
        message(STATUS "uv4j: libuv ${UV4J_LIBUV_PINNED_VERSION} tarball from the cache: ${_file}")
        set(${out_var} "${_file}" PARENT_SCOPE)
        return()
      endif()
      file(REMOVE "${_file}")
    endif()
  endforeach()
  foreach(_m ${_uv4j_libuv_mirrors})
    string(REPLACE "|" ";" _pair "${_m}")
    list(GET _pair 0 _url)
    list(GET _pair 1 _sha)
    get_filename_component(_name "${_url}" NAME)
    if(_name MATCHES "^v[0-9]")
      set(_name "libuv-${_name}")
    endif()
    set(_file "${UV4J_LIBUV_CACHE_DIR}/${_name}")
    message(STATUS "uv4j: downloading libuv ${UV4J_LIBUV_PINNED_VERSION} from ${_url}")
    # Into a temporary name first: a cut-off download never looks like a cached tarball. The hash
    # is checked here rather than with EXPECTED_HASH, which makes an unreachable mirror a hard
    # configure error instead of a reason to try the next one.
    file(DOWNLOAD "${_url}" "${_file}.part" TIMEOUT 120 INACTIVITY_TIMEOUT 30 STATUS _st TLS_VERIFY ON)
    list(GET _st 0 _code)
    list(GET _st 1 _msg)
    if(_code EQUAL 0)
      file(SHA256 "${_file}.part" _got)
      if(_got STREQUAL _sha)
        file(RENAME "${_file}.part" "${_file}")
        set(${out_var} "${_file}" PARENT_SCOPE)
        return()
      endif()
      set(_msg "SHA-256 ${_got}, expected ${_sha}")
    endif()
    file(REMOVE "${_file}.part")
    message(STATUS "uv4j:   failed: ${_msg}")
    string(APPEND _errors "\n  ${_url}: ${_msg}")
  endforeach()
  message(FATAL_ERROR "uv4j: could not obtain libuv ${UV4J_LIBUV_PINNED_VERSION}:${_errors}\n"
    "Download one of those files by hand and pass -DUV4J_LIBUV_TARBALL=<file> "
    "(Maven: -Duv4j.cmake.args=-DUV4J_LIBUV_TARBALL=<file>), or use the system libuv with "
    "-DUV4J_LIBUV=SYSTEM (Maven: -Duv4j.libuv=system).")
endfunction()

if(TARGET uv4j_libuv)
  return()
endif()
add_library(uv4j_libuv INTERFACE)

if(UV4J_LIBUV_SOURCE_DIR OR _uv4j_libuv_mode STREQUAL "BUNDLED")
  if(UV4J_LIBUV_SOURCE_DIR)
    set(_uv_src "${UV4J_LIBUV_SOURCE_DIR}")
    set(_uv_from "the source tree ${UV4J_LIBUV_SOURCE_DIR}")
  else()
    uv4j_libuv_fetch(_tarball)
    file(SHA256 "${_tarball}" _tar_sha)
    set(_uv_root "${CMAKE_BINARY_DIR}/libuv-src")
    set(_stamp "${_uv_root}/.uv4j-sha256")
    set(_have "")
    if(EXISTS "${_stamp}")
      file(READ "${_stamp}" _have)
    endif()
    if(NOT _have STREQUAL _tar_sha)
      file(REMOVE_RECURSE "${_uv_root}")
      file(MAKE_DIRECTORY "${_uv_root}")
      file(ARCHIVE_EXTRACT INPUT "${_tarball}" DESTINATION "${_uv_root}")
      file(WRITE "${_stamp}" "${_tar_sha}")
    endif()
    file(GLOB _uv_dirs LIST_DIRECTORIES true "${_uv_root}/libuv*")
    list(GET _uv_dirs 0 _uv_src)
    set(_uv_from "source (${_tarball}, SHA-256 ${_tar_sha})")
  endif()
  if(NOT EXISTS "${_uv_src}/CMakeLists.txt" OR NOT EXISTS "${_uv_src}/include/uv.h")
    message(FATAL_ERROR "uv4j: ${_uv_src} is not a libuv source tree")
  endif()
  # UV4J_LIBUV_ALSO_SHARED (bench/ only): also build libuv.so from the same source, for the JNA peer.
  if(UV4J_LIBUV_ALSO_SHARED)
    set(LIBUV_BUILD_SHARED ON CACHE BOOL "" FORCE)
  else()
    set(LIBUV_BUILD_SHARED OFF CACHE BOOL "" FORCE)
  endif()
  set(LIBUV_BUILD_TESTS OFF CACHE BOOL "" FORCE)
  set(LIBUV_BUILD_BENCH OFF CACHE BOOL "" FORCE)
  # libuv goes into a shared library: every object must be position-independent.
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  # libuv's own CMakeLists.txt asks for an older policy level; keep its warnings out of ours.
  set(CMAKE_WARN_DEPRECATED OFF CACHE BOOL "" FORCE)
  add_subdirectory("${_uv_src}" libuv EXCLUDE_FROM_ALL)
  set_target_properties(uv_a PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
  target_link_libraries(uv4j_libuv INTERFACE uv_a)
  uv4j_libuv_header_version("${_uv_src}/include" UV4J_LIBUV_VERSION)
  set(UV4J_LIBUV_BUNDLED ON)
  set(UV4J_LIBUV_HOW "libuv ${UV4J_LIBUV_VERSION} built from ${_uv_from}, linked statically: the jar needs no libuv at run time")
elseif(_uv4j_libuv_mode STREQUAL "SYSTEM")
  set(UV4J_LIBUV_BUNDLED OFF)
  find_path(LIBUV_INCLUDE_DIR NAMES uv.h)
  find_library(LIBUV_STATIC NAMES libuv_a.a uv_a libuv.a)
  find_library(LIBUV_SHARED NAMES uv libuv)
  if(NOT LIBUV_INCLUDE_DIR OR (NOT LIBUV_STATIC AND NOT LIBUV_SHARED))
    message(FATAL_ERROR
      "uv4j: UV4J_LIBUV=SYSTEM, but libuv's development files (uv.h and the library) were not found.\n"
      "Install them: 'apt-get install libuv1-dev' (Debian/Ubuntu), 'dnf install libuv-devel' (Fedora), "
      "'brew install libuv' (macOS), 'vcpkg install libuv' (Windows); or build the bundled libuv "
      "(the default: drop -Duv4j.libuv=system / -DUV4J_LIBUV=SYSTEM).")
  endif()
  # A static archive is only usable inside our shared library if it was compiled as PIC; Debian
  # 12's libuv_a.a is not, despite its name. Probe it by linking a shared object against it.
  if(LIBUV_STATIC AND NOT UV4J_LIBUV_LINK STREQUAL "SHARED" AND NOT DEFINED UV4J_LIBUV_STATIC_PIC)
    include(CheckCSourceCompiles)
    set(CMAKE_REQUIRED_INCLUDES "${LIBUV_INCLUDE_DIR}")
    set(CMAKE_REQUIRED_FLAGS "-fPIC")
    set(CMAKE_REQUIRED_LINK_OPTIONS "-shared")
    set(CMAKE_REQUIRED_LIBRARIES "${LIBUV_STATIC}" pthread dl)
    set(CMAKE_REQUIRED_QUIET ON)
    check_c_source_compiles("#include <uv.h>
      int uvj_probe(void) { return uv_loop_init(uv_default_loop()) + (int) uv_version(); }
      int main(void) { return uvj_probe(); }" UV4J_LIBUV_STATIC_PIC)
    unset(CMAKE_REQUIRED_INCLUDES)
    unset(CMAKE_REQUIRED_FLAGS)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    unset(CMAKE_REQUIRED_LIBRARIES)
    unset(CMAKE_REQUIRED_QUIET)
    if(NOT UV4J_LIBUV_STATIC_PIC)
      message(STATUS "uv4j: ${LIBUV_STATIC} is not position-independent code; it cannot go into a shared library")
    endif()
  endif()
  uv4j_libuv_header_version("${LIBUV_INCLUDE_DIR}" UV4J_LIBUV_VERSION)
  target_include_directories(uv4j_libuv INTERFACE "${LIBUV_INCLUDE_DIR}")
  if(LIBUV_STATIC AND UV4J_LIBUV_STATIC_PIC AND NOT UV4J_LIBUV_LINK STREQUAL "SHARED")
    target_link_libraries(uv4j_libuv INTERFACE "${LIBUV_STATIC}")
    set(UV4J_LIBUV_HOW "the system libuv ${UV4J_LIBUV_VERSION}, linked statically (${LIBUV_STATIC})")
  elseif(LIBUV_SHARED AND NOT UV4J_LIBUV_LINK STREQUAL "STATIC")
    target_link_libraries(uv4j_libuv INTERFACE "${LIBUV_SHARED}")
    set(UV4J_LIBUV_HOW "the system libuv ${UV4J_LIBUV_VERSION}, linked dynamically (${LIBUV_SHARED}): libuv must be installed where the jar runs")
  else()
    message(FATAL_ERROR "uv4j: UV4J_LIBUV_LINK=${UV4J_LIBUV_LINK} but no matching libuv library was found")
  endif()
  if(UNIX)
    target_link_libraries(uv4j_libuv INTERFACE pthread dl)
    if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
      target_link_libraries(uv4j_libuv INTERFACE rt)
    endif()
  elseif(WIN32)
    target_link_libraries(uv4j_libuv INTERFACE ws2_32 iphlpapi userenv psapi dbghelp ole32 shell32 uuid)
  endif()
else()
  message(FATAL_ERROR "uv4j: UV4J_LIBUV must be BUNDLED or SYSTEM, not '${UV4J_LIBUV}'")
endif()
