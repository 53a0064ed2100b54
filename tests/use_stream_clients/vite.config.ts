import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Relative asset paths: the tests serve dist/ from a static server of their own.
export default defineConfig({ base: "./", plugins: [react()] });
