# Build policy as INTERFACE targets, linked PRIVATE into every first-party target so
# nothing leaks to users of the libraries.
add_library(placer_warnings INTERFACE)
target_compile_options(placer_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Woverloaded-virtual
  $<$<BOOL:${PLACER_WERROR}>:-Werror>)

add_library(placer_options INTERFACE)
if(PLACER_SANITIZE)
  target_compile_options(placer_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(placer_options INTERFACE -fsanitize=address,undefined)
endif()
if(PLACER_FUZZ)
  # Coverage for libFuzzer plus ASan and UBSan everywhere; targets link -fsanitize=fuzzer.
  target_compile_options(placer_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(placer_options INTERFACE -fsanitize=address,undefined)
endif()
