# CDB decoder (kernel/cdb.c) compiled for userspace.
iet_kernel_unit(cdb_test SOURCES kernel/cdb.c TESTS cdb_test.cc)

# Fuzzer over the same decoder.  With clang it is a libFuzzer target
# (cmake -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++); with any
# other compiler the same file builds with a small deterministic driver
# that runs as a ctest, so the fuzz entry point never rots.
set(IET_CDB_FUZZ_SRC ${PROJECT_SOURCE_DIR}/tests/fuzz/cdb_fuzz.cc
                     ${PROJECT_SOURCE_DIR}/kernel/cdb.c)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  add_executable(cdb_fuzz ${IET_CDB_FUZZ_SRC})
  target_compile_options(cdb_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(cdb_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
  # A short bounded run as a test; longer runs by hand: ./cdb_fuzz CORPUS_DIR
  add_test(NAME cdb_fuzz COMMAND cdb_fuzz -runs=500000 -max_len=64)
else()
  add_executable(cdb_fuzz_smoke ${IET_CDB_FUZZ_SRC})
  target_compile_definitions(cdb_fuzz_smoke PRIVATE IET_FUZZ_STANDALONE=1)
  add_test(NAME cdb_fuzz_smoke COMMAND cdb_fuzz_smoke 200000)
  set(_fuzz cdb_fuzz_smoke)
endif()
if(TARGET cdb_fuzz)
  set(_fuzz cdb_fuzz)
endif()
target_include_directories(${_fuzz} PRIVATE ${IET_KERNEL_DIR} ${PROJECT_SOURCE_DIR}/include)
