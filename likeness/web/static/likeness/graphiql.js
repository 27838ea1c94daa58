// The Likeness GraphiQL page: GraphiQL 3 under a token bar, with one worked example per role.
// Plain browser JavaScript over the UMD builds of React 18 and GraphiQL 3 (globals React, ReactDOM,
// GraphiQL), all served by the API itself: the page needs no network beyond its own origin.
(function () {
  "use strict";

  const TOKEN_KEY = "likeness:token";
  // Where GraphiQL 3 keeps its tabs (its storage namespace "graphiql", key "tabState").
  const TAB_STATE_KEY = "graphiql:tabState";
  // The page is served at the GraphQL endpoint itself, so a path prefix in front of the app still works.
  const endpoint = window.location.pathname;
  const examples = JSON.parse(document.getElementById("likeness-examples").textContent);

  const tokenForm = document.getElementById("token-form");
  const tokenInput = document.getElementById("token");
  const tokenStatus = document.getElementById("token-status");
  const signOut = document.getElementById("sign-out");
  const picker = document.getElementById("example");

  function readStorage(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage disabled: the page still works, it just forgets
    }
  }

  function writeStorage(key, value) {
    try {
      if (value) {
        window.localStorage.setItem(key, value);
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (error) {
      // storage disabled: keep the token for this page only
    }
  }

  function hasAuthorization(headers) {
    return Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
  }

  // A fetcher bound to one token. GraphiQL fetches the schema again whenever its fetcher changes,
  // so a new token brings the schema that token may read.
  function fetcherFor(token) {
    return async function fetcher(params, options) {
      const typed = (options && options.headers) || {};
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      // an Authorization typed into GraphiQL's Headers tab wins over the bar's token
      if (token && !hasAuthorization(typed)) {
        headers.Authorization = "Bearer " + token;
      }
      Object.assign(headers, typed);
      if (!hasAuthorization(headers)) {
        return { errors: [{ message: "No token yet: paste a bearer token into the bar at the top." }] };
      }
      const response = await fetch(endpoint, {
        method: "POST",
        headers: headers,
        body: JSON.stringify(params),
        credentials: "omit",
      });
      const text = await response.text();
      try {
        return JSON.parse(text);
      } catch (error) {
        return { errors: [{ message: "HTTP " + response.status + ": " + text }] };
      }
    };
  }

  // The tab GraphiQL showed last, passed back as its `query` so that GraphiQL re-opens that tab
  // instead of appending an empty one on every load. Undefined on a first visit: the examples open.
  function rememberedTab() {
    try {
      const state = JSON.parse(readStorage(TAB_STATE_KEY));
      const tab = state.tabs[state.activeTabIndex];
      return { query: tab.query || undefined, variables: tab.variables || undefined };
    } catch (error) {
      return { query: undefined, variables: undefined };
    }
  }

  // GraphiQL's editor context (tabs, changeTab, addTab, queryEditor), published by EditorBridge.
  let editor = null;
  let pendingExample = null;

  function EditorBridge() {
    const context = GraphiQL.React.useEditorContext({ nonNull: true, caller: EditorBridge });
    React.useEffect(function publish() {
      editor = context;
    });
    React.useEffect(
      function fillNewTab() {
        if (pendingExample !== null && context.queryEditor) {
          const query = pendingExample;
          pendingExample = null;
          context.queryEditor.setValue(query);
        }
      },
      [context.tabs.length, context.queryEditor],
    );
    return null;
  }

  // Show an example: its tab when one holds the example unchanged, else a new tab with it.
  function openExample(example) {
    if (!editor) {
      return;
    }
    const index = editor.tabs.findIndex((tab) => tab.query === example.query);
    if (index >= 0) {
      editor.changeTab(index);
      return;
    }
    pendingExample = example.query;
    editor.addTab();
  }

  const initialTab = rememberedTab();
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  let token = readStorage(TOKEN_KEY) || "";
  let fetcher = fetcherFor(token);

  const defaultTabs = examples.map((example) => ({ query: example.query }));

  function render() {
    const props = {
      fetcher: fetcher,
      defaultTabs: defaultTabs,
      query: initialTab.query,
      variables: initialTab.variables,
      shouldPersistHeaders: false,
      toolbar: { additionalComponent: EditorBridge },
    };
    // a logo of plain text: GraphiQL's own links to GitHub, and the page links nowhere
    root.render(React.createElement(GraphiQL, props, React.createElement(GraphiQL.Logo, null, "GraphiQL")));
  }

  function showToken() {
    tokenInput.value = "";
    tokenInput.placeholder = token
      ? "token …" + token.slice(-4) + " in use; paste another to switch"
      : "paste a bearer token";
    // the API, not the page, judges a token: a wrong one gets its 401 in the response pane
    tokenStatus.textContent = token ? "token in use, kept in this browser" : "no token";
    signOut.hidden = !token;
  }

  function setToken(value) {
    token = value.trim();
    writeStorage(TOKEN_KEY, token);
    fetcher = fetcherFor(token);
    if (editor && editor.responseEditor) {
      editor.responseEditor.setValue(""); // an answer (or error) given to the previous token
    }
    showToken();
    render();
  }

  tokenForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (tokenInput.value.trim()) {
      setToken(tokenInput.value);
    }
  });
  signOut.addEventListener("click", function () {
    setToken("");
  });

  for (const example of examples) {
    const option = document.createElement("option");
    option.value = example.title;
    option.textContent = example.title;
    picker.appendChild(option);
  }
  picker.addEventListener("change", function () {
    const example = examples.find((candidate) => candidate.title === picker.value);
    picker.value = "";
    if (example) {
      openExample(example);
    }
  });

  showToken();
  render();
})();
