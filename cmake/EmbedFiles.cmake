# cortado_embed_files(<out_var> <delimiter> <name_component> <files>...):
# sets <out_var> to one C++ initializer line per file, in sorted order,
#   {"<name>", R"<delimiter>(<contents>)<delimiter>"},
# where <name> is get_filename_component(<name_component>) of the file (NAME
# or NAME_WE), and re-runs CMake when a file changes. The callers put the
# lines into a configure_file template: the migrations of server/store and
# client/coffee, and the web console's assets.
function(cortado_embed_files out_var delimiter name_component)
  set(files ${ARGN})
  list(SORT files)
  set(lines "")
  foreach(file ${files})
    file(READ ${file} text)
    get_filename_component(name ${file} ${name_component})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    string(APPEND lines
           "        {\"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
  endforeach()
  set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()
