import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// Generous waits: the first test of a file also loads the lazy chat chunk, slow on a busy machine.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  // Each test opens the app on a new chat: the thread one test made stays out of the next's URL.
  window.history.replaceState(null, "", "/");
});
