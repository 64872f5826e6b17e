# embed_text(NAME INPUT OUTPUT SYMBOL): compiles INPUT into OUTPUT as
#   namespace constellation::embedded { extern const std::string_view SYMBOL; }
# regenerated whenever INPUT changes.
function(embed_text name input output symbol)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    COMMENT "Embedding ${input}")
endfunction()
