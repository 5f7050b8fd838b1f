# The production image of both processes: `npm run start:api` (the default) and `npm run start:worker`.
# docker-compose.yml shows the deployment; any orchestrator runs the same image with the same variables.
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production \
    # Workers load the workflow bundle built below instead of bundling at every start.
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js

# Dependencies first, so code changes reuse this layer. tsx (a dependency) runs the TypeScript;
# the Temporal SDK's native core ships inside its npm package, so nothing is downloaded at run time.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
RUN node --import tsx scripts/build-workflow-bundle.ts /app/dist/workflow-bundle.js

# Not root: the processes need to write nothing but logs (to stdout) and tsx's cache (in /tmp).
USER node
EXPOSE 3000
# `npm run start:api` without npm in front (npm would not pass SIGTERM on to node); the worker's
# command is `npm run start:worker`'s: node --import tsx worker.ts.
CMD ["node", "--import", "tsx", "api/main.ts"]
