/** Tailwind CSS v3 configuration; build with `npm run build:css`. */
module.exports = {
  // Only templ files and sidebar.js (its fallback note) hold class names.
  // Keep class names literal: Tailwind cannot see names built by
  // concatenation.
  content: ["./views/**/*.templ", "./static/sidebar.js", "./static/admin.js"],
  // Dark mode follows the system, unless the embedding inbox forces a theme
  // with ?theme=light or ?theme=dark (which sets the class on <html>).
  darkMode: [
    "variant",
    ["@media (prefers-color-scheme: dark) { &:not(.light *) }", "&:is(.dark *)"],
  ],
  theme: {
    extend: {
      fontFamily: {
        sans: ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue", "Arial", "sans-serif"],
      },
    },
  },
  plugins: [],
};
