// package: markdown-it
// expect: "<h2>Hi</h2>\n<p>See <a href=\"https://example.com\">https://example.com</a> and <strong>bold</strong>.</p>\n"
const MarkdownIt = require('markdown-it');
const md = new MarkdownIt({ linkify: true });
console.log(JSON.stringify(md.render('## Hi\n\nSee https://example.com and **bold**.\n')));
