// Served to next/font through NEXT_FONT_GOOGLE_MOCKED_RESPONSES so that `next build` never calls
// Google Fonts: next/font looks each stylesheet URL up in this module's exports. Every family
// resolves to an @font-face on a local font, so no font file is downloaded and the page falls
// back to the system's fonts.
module.exports = new Proxy(
  {},
  {
    get(_target, url) {
      if (typeof url !== "string") return undefined;
      const family = new URL(url).searchParams.get("family").split(":")[0];
      return `/* latin */
@font-face {
  font-family: '${family}';
  font-style: normal;
  font-weight: 100 900;
  font-display: swap;
  src: local('${family}');
}
`;
    },
  },
);
