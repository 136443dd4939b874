"""The 评价报告: the evaluation report in the outline of 财预〔2020〕10号, as Word or Markdown.

perfrules writes the parts it computes (scores, rates, money, the findings as problems and
suggestions) in fixed sentences; the parts only people know come from a Markdown file (`--text`),
and a part nobody wrote is a finding (PR025), never invented prose.

  figures   the report's number style (16.1分, 80.5%, 662.77万元)
  sentences the generated sentences of 一 to 四
  issues    one problem and one suggestion sentence per finding (五, 六)
  text      the people's sections: reading the Markdown, the slots, PR025
  outline   the document as blocks, in the outline's order
  docx      blocks to Word (python-docx); markdown: blocks to Markdown
"""
